using System.Globalization;
using System.Text;
using AlignLab.Reports;

namespace AlignLab.JustEval;

/// <summary>
/// The summary as one self-contained HTML page, in the TDS report's style: the sets' legend, a bar chart of every
/// aspect's mean per set, the summary's tables (<see cref="SummaryTables"/>), a bar chart of each breakdown's
/// averages, and the notes (failures, uncategorized answers, token usage). No script at all; the stylesheet is inline
/// and allowed by its hash in a Content-Security-Policy that forbids everything else, and every text from the files
/// (set names, groups) is HTML-escaped.
/// </summary>
public static class JudgeReportPage
{
    public static void Write(Stream stream, JudgeSummary summary)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(summary);
        var html = new StringBuilder();
        StaticPage.Open(html, "Just-Eval summary",
            string.Create(CultureInfo.InvariantCulture, $"{summary.Sets.Count} answer sets from {summary.Sets.SelectMany(s => s.Files).Distinct(StringComparer.Ordinal).Count()} files"),
            JudgeReportStyle.Css);
        StaticPage.Legend(html, [.. summary.Sets.Select(s => s.Name)]);
        AspectChart(html, summary);
        foreach (var table in SummaryTables.Build(summary))
        {
            StaticPage.Table(html, table.Title, table.Columns, table.Rows);
        }
        foreach (var dimension in SummaryTables.Dimensions(summary))
        {
            BreakdownChart(html, summary, dimension);
        }
        Notes(html, summary);
        StaticPage.Close(html);
        stream.Write(Encoding.UTF8.GetBytes(html.ToString()));
    }

    private static void AspectChart(StringBuilder html, JudgeSummary summary)
    {
        var rows = SummaryTables.AllAspects(summary)
            .Select(a => (a, (IReadOnlyList<double?>)[.. summary.Sets.Select(s => SummaryTables.MeanOf(s, a))]))
            .Append(("average", (IReadOnlyList<double?>)[.. summary.Sets.Select(s => s.Average)]))
            .ToList();
        Chart(html, "Aspect means", rows, summary);
    }

    private static void BreakdownChart(StringBuilder html, JudgeSummary summary, string dimension)
    {
        var rows = SummaryTables.GroupNames(summary, dimension)
            .Select(g => (g, (IReadOnlyList<double?>)[.. summary.Sets.Select(s => SummaryTables.GroupOf(s, dimension, g)?.Average)]))
            .ToList();
        Chart(html, "Average by " + SummaryTables.Label(dimension), rows, summary);
    }

    private static void Chart(StringBuilder html, string title, IReadOnlyList<(string, IReadOnlyList<double?>)> rows, JudgeSummary summary)
        => html.Append("<h2>").Append(Html(title)).Append("</h2>\n<div class=\"chart\">")
            .Append(IntervalChart.Svg([.. rows.Select(r => new IntervalRow(r.Item1, [.. r.Item2.Select(v => v is { } mean ? new IntervalBar(mean) : (IntervalBar?)null)]))],
                [.. summary.Sets.Select(s => s.Name)], title, min: 0, max: 5, format: "F2"))
            .Append("</div>\n");

    private static void Notes(StringBuilder html, JudgeSummary summary)
    {
        html.Append("<h2>Notes</h2>\n<ul class=\"notes\">");
        foreach (var set in summary.Sets)
        {
            html.Append("<li>").Append(Html(set.Name)).Append(": ")
                .Append(Html(string.Create(CultureInfo.InvariantCulture,
                    $"{set.Judged} judged, {set.Failed} failed, {set.Uncategorized} without a category, {set.Usage.Requests} judge requests ({set.Usage.PromptTokens} prompt and {set.Usage.CompletionTokens} completion tokens); files: {string.Join(", ", set.Files)}")))
                .Append("</li>");
            foreach (var failure in set.Failures)
            {
                html.Append("<li>").Append(Html($"{set.Name}: id {failure.Id} failed: {failure.Reason}")).Append("</li>");
            }
        }
        html.Append("</ul>\n");
    }

    private static string Html(string text) => StaticPage.Html(text);
}
