using System.CommandLine;
using AlignLab.Cli.Commands;

namespace AlignLab.Cli;

/// <summary>The list of subcommands. Each command lives in its own file under Commands/.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Build(CliContext context) =>
    [
        InspectCommand.Build(context),
        TokenizeCommand.Build(context),
        ChatTemplateCommand.Create(context),
        PullCommand.Build(context),
        ScoreCommand.Build(context),
        GenerateCommand.Build(context),
        BenchCommand.Build(context),
        TdsCommand.Build(context),
        UrialCommand.Build(context),
        GenerateSetCommand.Build(context),
        PluralismCommand.Build(context),
        EmbedCommand.Build(context),
        ReportCommand.Build(context),
        ServeCommand.Build(context),
        TrainCommand.Build(context),
        FinetuneCommand.Build(context),
        DemoCommand.Build(context),
        JudgeCommand.Build(context),
    ];
}
