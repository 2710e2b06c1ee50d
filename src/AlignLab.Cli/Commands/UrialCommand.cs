using System.CommandLine;

namespace AlignLab.Cli.Commands;

/// <summary><c>alignlab urial …</c>: aligning a base model in context with URIAL prompts.</summary>
internal static class UrialCommand
{
    public static Command Build(CliContext context)
    {
        var command = new Command("urial", "URIAL: align a base model in context with a preamble and a few stylistic examples.");
        command.Subcommands.Add(UrialPromptsCommand.Build(context));
        return command;
    }
}
