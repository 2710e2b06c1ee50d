using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AlignLab.JustEval;
using AlignLab.Pluralism;
using AlignLab.Pluralism.Coverage;

namespace AlignLab.Reports;

/// <summary>
/// The pluralism measures as one self-contained page (<see cref="StaticPage"/>: no script, no external resource, a
/// CSP that forbids both): the sets' legend; bar charts with 95% bootstrap whiskers of the diversity measures and of
/// the similarity to the reference, with the reference's ceiling line; a table of every measure per set; the coverage,
/// topic and stance tables; notes; and a per-instruction browser (the first <see cref="BrowserLimit"/> instructions,
/// each a collapsed &lt;details&gt; with its measures, the judge's verdicts and every sample). Every text from the files
/// (set names, instructions, answers, judge reasons) is HTML-escaped.
/// </summary>
public static class PluralismReportPage
{
    /// <summary>Instructions in the browser: enough to read examples, while the page stays small enough to open quickly.</summary>
    public const int BrowserLimit = 300;

    private static readonly string[] DiversityChartMeasures = ["embedding_cosine_mean", "jaccard_mean", "distinct_1", "distinct_2", "distinct_3", "distinct_prefix_rate"];

    private static readonly (string Measure, string Ceiling)[] SimilarityChartMeasures =
        [(PluralismMeasureRun.SimilarityName, "reference_ceiling"), (PluralismMeasureRun.BertScoreF1Name, "reference_bertscore_ceiling"),
         (PluralismMeasureRun.JaccardToReferenceName, "reference_jaccard_ceiling")];

    private static readonly string Css = JudgeReportStyle.Css + """
        .chart .whisker { stroke: #1f2328; stroke-width: 1.2; fill: none; }
        .chart .ceiling { stroke: #1f2328; stroke-width: 1.5; stroke-dasharray: 4 3; }
        .caption { color: var(--muted); max-width: 900px; }
        details.instruction { border: 1px solid var(--line); border-radius: 4px; margin: 4px 0; padding: 2px 8px; }
        details.instruction > summary { cursor: pointer; }
        .sample { white-space: pre-wrap; word-break: break-word; background: var(--panel); border: 1px solid var(--line); padding: 6px; margin: 4px 0; font-family: ui-monospace, monospace; font-size: 13px; }
        .measures { font-size: 13px; color: var(--muted); }

        """;

    public static void Write(Stream stream, PluralismReportData data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        var summary = data.Summary;
        var names = data.Sets.Select(s => s.Name).ToList();
        var html = new StringBuilder();
        StaticPage.Open(html, "Pluralism measures", string.Create(CultureInfo.InvariantCulture,
            $"reference {summary["reference"]}, {data.Sets.Count - 1} alternative{(data.Sets.Count == 2 ? "" : "s")}, {summary["instructions"]} instructions; {summary["interval"]}"), Css);
        StaticPage.Legend(html, [names[0] + " (reference)", .. names.Skip(1)]);
        DiversityChart(html, summary, names);
        SimilarityChart(html, summary, names.Skip(1).ToList(), names);
        MeasureTable(html, summary, names);
        if (summary["coverage"] is JsonObject coverage)
        {
            CoverageTables(html, summary, coverage, names);
        }
        Notes(html, summary);
        Browser(html, data);
        StaticPage.Close(html);
        stream.Write(Encoding.UTF8.GetBytes(html.ToString()));
    }

    private static void DiversityChart(StringBuilder html, JsonObject summary, IReadOnlyList<string> names)
    {
        var rows = DiversityChartMeasures
            .Select(m => new IntervalRow(m, [.. names.Select(n => Bar(summary, n, m))]))
            .Where(r => r.Bars.Any(b => b is not null))
            .ToList();
        html.Append("<h2>Diversity within each model's samples</h2>\n<p class=\"caption\">Mean over instructions with 95% bootstrap whiskers. ")
            .Append("Cosine and Jaccard are similarities between a model's own samples (lower: more diverse); distinct-n and distinct prefixes are fractions of unique n-grams and openings (higher: more diverse).</p>\n");
        Chart(html, rows, names, "Diversity within samples");
    }

    private static void SimilarityChart(StringBuilder html, JsonObject summary, IReadOnlyList<string> alternatives, IReadOnlyList<string> names)
    {
        var rows = SimilarityChartMeasures
            .Select(m => new IntervalRow(m.Measure, [.. names.Select(n => n == names[0] ? null : Bar(summary, n, m.Measure))], Mean(summary[m.Ceiling])))
            .Where(r => r.Bars.Any(b => b is not null))
            .ToList();
        if (rows.Count == 0 || alternatives.Count == 0)
        {
            return;
        }
        html.Append("<h2>Similarity to the reference</h2>\n<p class=\"caption\">Mean over instructions of each alternative's similarity to the reference samples, with 95% bootstrap whiskers. ")
            .Append("The dashed line is the ceiling: the reference's own samples compared with each other, DIFFERENT samples only.</p>\n");
        Chart(html, rows, names, "Similarity to the reference");
    }

    private static void Chart(StringBuilder html, IReadOnlyList<IntervalRow> rows, IReadOnlyList<string> names, string title)
        => html.Append("<div class=\"chart\">").Append(IntervalChart.Svg(rows, names, title)).Append("</div>\n");

    private static void MeasureTable(StringBuilder html, JsonObject summary, IReadOnlyList<string> names)
    {
        var measures = names.SelectMany(n => (summary["models"]?[n] as JsonObject)?.Select(p => p.Key) ?? []).Distinct(StringComparer.Ordinal).ToList();
        var rows = measures.Select(m => (IReadOnlyList<string>)[m, .. names.Select(n => Cell(summary["models"]?[n]?[m]))]).ToList();
        rows.Add(["reference_ceiling (cosine)", Cell(summary["reference_ceiling"]), .. names.Skip(1).Select(_ => "")]);
        rows.Add(["reference_bertscore_ceiling", Cell(summary["reference_bertscore_ceiling"]), .. names.Skip(1).Select(_ => "")]);
        rows.Add(["reference_jaccard_ceiling", Cell(summary["reference_jaccard_ceiling"]), .. names.Skip(1).Select(_ => "")]);
        StaticPage.Table(html, "Every measure: mean [95% interval] (instructions)", ["measure", .. names], rows);
    }

    private static void CoverageTables(StringBuilder html, JsonObject summary, JsonObject coverage, IReadOnlyList<string> names)
    {
        // The reference's row compares its second sample with its first: the baseline an alternative is read against.
        string Label(string name) => name == names[0] ? name + " (second sample, baseline)" : name;
        StaticPage.Table(html, "Information of the alternative missing from the reference (judge, 1 none – 5 almost all)", ["alternative", "mean [95% interval] (instructions)"],
            [.. names.Select(a => (IReadOnlyList<string>)[Label(a), Cell(summary["models"]?[a]?[CoverageFindings.MissingMeasure])])]);
        StaticPage.Table(html, "Topics (judge): count over all instructions; mean fraction per instruction [95% interval]",
            ["alternative", .. CoverageFindings.Sides.Select(s => s == CoverageReplyParser.Both ? "both" : s + " only")],
            [.. names.Select(a => (IReadOnlyList<string>)[Label(a), .. CoverageFindings.Sides.Select(s =>
                Count(coverage["totals"]?[a]?["topics"]?[s]) + "; " + Cell(summary["models"]?[a]?[CoverageFindings.TopicMeasure(s)]))])]);
        if (coverage["stance_instructions"]?.GetValue<int>() is > 0)
        {
            StaticPage.Table(html, "Stance on contentious yes/no questions (judge): answers; rate [95% interval]", ["set", .. CoverageReplyParser.Stances],
                [.. names.Select(n => (IReadOnlyList<string>)[n, .. CoverageReplyParser.Stances.Select(s =>
                    Count(coverage["totals"]?[n]?["stances"]?[s]) + "; " + Cell(summary["models"]?[n]?[CoverageFindings.StanceMeasure(s)]))])]);
        }
    }

    private static void Notes(StringBuilder html, JsonObject summary)
    {
        html.Append("<h2>Notes</h2>\n<ul class=\"notes\">");
        Note(html, "embedder: " + (summary["embedder"]?.ToString() ?? "none (no embedding measures)"));
        Note(html, "BERTScore: " + (summary["bertscore"]?.ToString() ?? "not computed (no embedder)"));
        if (summary["coverage"] is JsonObject coverage)
        {
            Note(html, string.Create(CultureInfo.InvariantCulture,
                $"coverage judge {coverage["judge"]}: {coverage["questions"]} questions ({coverage["pairs"]}), {coverage["cached"]} cached, {coverage["judged"]} judged now, {coverage["failed"]} failed, {coverage["pending"]} pending; {coverage["usage"]?["requests"]} requests, {coverage["usage"]?["prompt_tokens"]} prompt and {coverage["usage"]?["completion_tokens"]} completion tokens"));
            foreach (var failure in coverage["failures"]?.AsArray() ?? [])
            {
                Note(html, $"failed: id {failure!["id"]?.ToJsonString()} {failure["set"]} {failure["task"]} sample {failure["sample"]}: {failure["reason"]}");
            }
        }
        html.Append("</ul>\n");
    }

    private static void Note(StringBuilder html, string text) => html.Append("<li>").Append(Html(text)).Append("</li>");

    private static void Browser(StringBuilder html, PluralismReportData data)
    {
        var shown = Math.Min(BrowserLimit, data.Instructions.Count);
        html.Append("<h2>Instructions</h2>\n<p class=\"caption\">")
            .Append(Html(string.Create(CultureInfo.InvariantCulture, $"The first {shown} of {data.Instructions.Count} instructions; open one to read its samples, measures and the judge's verdicts.")))
            .Append("</p>\n");
        var reference = data.Sets[0];
        foreach (var line in data.Instructions.Take(shown))
        {
            var id = line["id"]!.ToJsonString();
            var instruction = reference.ById[id].Instruction;
            html.Append("<details class=\"instruction\"><summary>").Append(Html(line["id"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : id))
                .Append(" · ").Append(Html(instruction.Length > 120 ? instruction[..120] + "…" : instruction)).Append("</summary>\n")
                .Append("<div class=\"sample\">").Append(Html(instruction)).Append("</div>\n");
            foreach (var set in data.Sets)
            {
                if (!set.ById.TryGetValue(id, out var answers) || line["models"]?[set.Name] is not JsonObject record)
                {
                    continue;
                }
                html.Append("<h4>").Append(Html(set.Name)).Append("</h4>\n<p class=\"measures\">")
                    .Append(Html(string.Join("; ", record.Where(p => p.Key != "judge" && p.Value is not null).Select(p => p.Key + " " + Number(p.Value!)))))
                    .Append("</p>\n");
                if (record["judge"] is JsonObject verdicts)
                {
                    html.Append("<p class=\"measures\">judge: ").Append(Html(verdicts.ToJsonString())).Append("</p>\n");
                }
                foreach (var sample in answers.Samples)
                {
                    html.Append("<div class=\"sample\">").Append(Html(sample)).Append("</div>\n");
                }
            }
            html.Append("</details>\n");
        }
    }

    private static IntervalBar? Bar(JsonObject summary, string set, string measure)
        => summary["models"]?[set]?[measure] is JsonObject m ? new IntervalBar(m["mean"]!.GetValue<double>(), m["low"]!.GetValue<double>(), m["high"]!.GetValue<double>()) : null;

    private static double? Mean(JsonNode? interval) => interval?["mean"]?.GetValue<double>();

    /// <summary>"0.512 [0.480, 0.547] (120)", or "" for a measure the set lacks.</summary>
    private static string Cell(JsonNode? interval) => interval is JsonObject m
        ? string.Create(CultureInfo.InvariantCulture, $"{m["mean"]!.GetValue<double>():F3} [{m["low"]!.GetValue<double>():F3}, {m["high"]!.GetValue<double>():F3}] ({m["instructions"]})")
        : "";

    private static string Count(JsonNode? count) => count?.ToJsonString() ?? "0";

    private static string Number(JsonNode value) => value.GetValue<double>().ToString("0.###", CultureInfo.InvariantCulture);

    private static string Html(string text) => StaticPage.Html(text);
}
