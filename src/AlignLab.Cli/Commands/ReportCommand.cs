using System.CommandLine;
using System.Globalization;
using AlignLab.Reports;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab report DIR [--out FILE]</c>: writes the interactive HTML report of a TDS run directory
/// (DIR/report.html unless --out says otherwise), as every <c>tds</c> run does itself. Prints the
/// report's path and what it holds; warnings about the input (a torn last line, an unreadable
/// tokenizer) go to stderr.
/// </summary>
internal static class ReportCommand
{
    public static Command Build(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "A TDS run directory: run.json with positions.jsonl and summary.json, or one subfolder of them per aligned model." };
        var output = new Option<string?>("--out") { HelpName = "FILE", Description = "Where to write the report (default: DIR/report.html); replaced atomically." };
        var command = new Command("report", "Write the self-contained, offline HTML report of a TDS run: class ratios, shift by position, base ranks, KL, top shifted tokens, categories and tags, and an example browser showing each answer token by token with both models' candidates.")
        {
            directory, output,
        };
        command.SetAction(parse => Run(context, ReportSettings.Create(parse.GetValue(directory), parse.GetValue(output))));
        return command;
    }

    private static int Run(CliContext context, ReportSettings settings)
    {
        var result = TdsReport.Write(settings.Directory, new TdsReportOptions { OutputPath = settings.Output });
        foreach (var warning in result.Warnings)
        {
            context.Err.WriteLine("warning: " + ErrorLine.EscapeControl(warning));
        }
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Path}: {result.Models.Count} aligned model{(result.Models.Count == 1 ? "" : "s")} ({string.Join(", ", result.Models)}), {result.Examples} examples, {result.Positions} positions, {result.Bytes / 1e6:0.0} MB"));
        return CliApp.ExitOk;
    }
}

/// <summary>What <c>alignlab report</c> was asked to do, validated.</summary>
internal sealed record ReportSettings(string Directory, string? Output)
{
    public static ReportSettings Create(string? directory, string? output)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new UsageException("report: DIR is required");
        }
        if (output is not null)
        {
            if (string.IsNullOrWhiteSpace(output) || System.IO.Directory.Exists(output))
            {
                throw new UsageException($"report: --out '{output}' is not a file name");
            }
            var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
            if (!System.IO.Directory.Exists(folder))
            {
                throw new UsageException($"report: --out {output}: the folder {folder} does not exist");
            }
        }
        return new ReportSettings(directory, output);
    }
}
