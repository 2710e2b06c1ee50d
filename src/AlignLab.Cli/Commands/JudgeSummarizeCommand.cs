using System.CommandLine;
using AlignLab.Engine.Formats;
using AlignLab.Data;
using AlignLab.JustEval;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab judge summarize FILE... [--tags FILE]... [--json] [--html FILE]</c>: Just-Eval's aggregation of judged
/// answer sets (ours, or the published judged files), per set, with breakdowns by task type, topic, difficulty and
/// source dataset; tables on stdout, or the JSON summary with --json; --html writes the page too.
/// </summary>
internal static class JudgeSummarizeCommand
{
    public static Command Build(CliContext context)
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Judged files: our judge output (JSON Lines) or Just-Eval's published judged files (JSON arrays)." };
        var tags = new Option<string[]>("--tags") { HelpName = "FILE", Description = "Tags by id (task_types, topics, difficulty, dataset), like tags_list.json; repeat to join several (an instruction file adds datasets)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON: {\"sets\": [{\"name\", \"judged\", \"failed\", \"aspects\", \"average\", \"words\", \"by_task\", ...}]}." };
        var html = new Option<string?>("--html") { HelpName = "FILE", Description = "Also write a self-contained HTML page with the tables and bar charts." };
        var command = new Command("summarize", "Summarize judged answer sets: each aspect's mean with 95% intervals, the average, answer length, and breakdowns by task, topic, difficulty and dataset.")
        {
            files, tags, json, html,
        };
        command.SetAction(parse =>
        {
            var tagFiles = parse.GetValue(tags) ?? [];
            var bad = new BadRecordLog(skipBad: false);
            var tagTable = tagFiles.Length == 0 ? null : TagTable.Combine(tagFiles.Select(f => TagTable.Read(f, bad)));
            var summary = JudgeSummaryBuilder.Build(parse.GetValue(files) ?? [], tagTable);
            if (parse.GetValue(html) is { } page)
            {
                AtomicFile.Write(page, stream => JudgeReportPage.Write(stream, summary));
                context.Err.WriteLine("judge summarize: wrote " + page);
            }
            if (parse.GetValue(json))
            {
                using var stdout = new MemoryStream();
                JudgeSummaryJson.Write(stdout, summary);
                context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
            }
            else
            {
                SummaryText.Write(context.Out, summary);
            }
            return CliApp.ExitOk;
        });
        return command;
    }
}
