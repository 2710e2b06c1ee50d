using System.CommandLine;

namespace AlignLab.Cli.Commands;

/// <summary><c>alignlab pluralism</c>: the diversity and coverage study of issue 9, one subcommand per step.</summary>
internal static class PluralismCommand
{
    public static Command Build(CliContext context)
    {
        var command = new Command("pluralism", "Pluralism: how diverse a model's answers are, and how close a base model's come to an aligned model's.");
        command.Subcommands.Add(PluralismSampleCommand.Build(context));
        command.Subcommands.Add(PluralismMeasureCommand.Build(context));
        return command;
    }
}
