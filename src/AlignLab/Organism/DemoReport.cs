using System.Globalization;
using System.Text;
using AlignLab.Engine.Formats;
using AlignLab.Reports;
using AlignLab.Training;

namespace AlignLab.Organism;

/// <summary>
/// <c>DIR/report.html</c> of <c>alignlab demo</c>: what was built (world, models, loss curves), both TDS runs side by
/// side with links to their full reports, the organism's style/knowledge figures and how they compare with the
/// published findings. A static, self-contained page: every text is HTML-encoded, the loss curves are inlined
/// as data: images, and the frame is the other static pages' (<see cref="StaticPage"/>): a Content-Security-Policy forbids scripts and fetches.
/// </summary>
public static class DemoReport
{
    public const string FileName = "report.html";

    /// <summary>The other static pages' style, and the demo's few classes of its own.</summary>
    private static readonly string Css = JustEval.JudgeReportStyle.Css + """
        .muted { color: var(--muted); } .agree { color: #1a7f37; font-weight: 600; } .differ { color: #cf222e; font-weight: 600; }
        .notice { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 12px; border-radius: 6px; } img { max-width: 460px; border: 1px solid var(--line); }

        """;

    public static string Write(string outputDirectory, OrganismModels models, string plainRun, string urialRun)
    {
        ArgumentNullException.ThrowIfNull(models);
        var limits = new ReportLimits();
        var plain = SummaryParser.Read(Path.Combine(plainRun, TdsSummary.FileName), limits.MaxSummaryBytes);
        var urial = SummaryParser.Read(Path.Combine(urialRun, TdsSummary.FileName), limits.MaxSummaryBytes);
        var html = new StringBuilder();
        Head(html);
        Built(html, models);
        Runs(html, outputDirectory, (OrganismDemo.PlainFolder, "plain instruction", plain), (OrganismDemo.UrialFolder, "URIAL prompt in the world's style", urial));
        Organism(html, (OrganismDemo.PlainFolder, plain), (OrganismDemo.UrialFolder, urial));
        Findings(html, DemoFindings.Compare(plain, urial));
        StaticPage.Close(html);
        var path = Path.Combine(outputDirectory, FileName);
        AtomicFile.WriteAllText(path, html.ToString());
        return path;
    }

    private static void Head(StringBuilder html)
    {
        StaticPage.Open(html, "AlignLab demo: a model organism",
            "A base model pretrained on a synthetic world and an aligned copy fine-tuned on assistant-style answers about it.", Css);
        html.Append("<p class=\"muted\">Token distribution shift is measured on held-out instructions, teacher-forcing the world's reference answers, whose every character is labelled ")
            .Append("<b>style</b> (openings, discourse markers, closings, refusals) or <b>knowledge</b> (facts): the method is checked against ground truth.</p>");
    }

    private static void Built(StringBuilder html, OrganismModels models)
    {
        var s = models.Settings;
        var b = s.Base;
        html.Append("<h2>What was built</h2><table>");
        Row(html, "Cache folder", models.Directory);
        Row(html, "World", Invariant($"seed {s.World.Seed}; {CountLines(Path.Combine(models.Data, OrganismData.CorpusFile))} pretraining documents, {CountLines(Path.Combine(models.Data, OrganismData.FineTuningFile))} fine-tuning answers, {CountLines(models.HeldOut)} held-out instructions"));
        Row(html, "Model", Invariant($"{b.Layers} layers, hidden {b.Dim}, {b.Heads} heads ({b.KvHeads} key/value), FFN {b.Ffn}, context {b.Context}, vocabulary {b.VocabSize}"));
        Row(html, "Pretraining", Invariant($"{b.Steps} steps of {b.Batch} × {b.Context} tokens, peak learning rate {b.LearningRate}; final loss {Loss(models.Base)}"));
        Row(html, "Fine-tuning", Invariant($"{s.Aligned.Steps} steps of {s.Aligned.Batch} × {b.Context} tokens (answers packed), peak learning rate {s.Aligned.LearningRate}; final loss {Loss(models.Aligned)}"));
        html.Append("</table>");
        foreach (var (name, folder) in new[] { ("Pretraining loss", models.Base), ("Fine-tuning loss", models.Aligned) }.Where(f => File.Exists(f.Item2.LossSvg)))
        {
            html.Append("<figure><img alt=\"").Append(StaticPage.Html(name)).Append("\" src=\"data:image/svg+xml;base64,")
                .Append(Convert.ToBase64String(File.ReadAllBytes(folder.LossSvg))).Append("\"><figcaption class=\"muted\">").Append(StaticPage.Html(name)).Append("</figcaption></figure>");
        }
    }

    private static void Runs(StringBuilder html, string outputDirectory, params (string Folder, string Prompt, TdsSummary Summary)[] runs)
    {
        html.Append("<h2>Token distribution shift</h2><p class=\"muted\">Share of answer positions per class; in brackets the 95% bootstrap interval over examples.</p>")
            .Append("<table><tr><th>Base prompt</th><th>Examples</th><th>Positions</th><th>Unshifted</th><th>Marginal</th><th>Shifted</th><th>Full report</th></tr>");
        foreach (var (folder, prompt, summary) in runs)
        {
            var t = summary.Total;
            html.Append("<tr><td>").Append(StaticPage.Html(prompt)).Append("</td>");
            Number(html, Invariant($"{t.Examples ?? 0:N0}"));
            Number(html, Invariant($"{t.Positions:N0}"));
            Number(html, WithInterval(t.Ratios.Unshifted, t.Ci95?.Unshifted));
            Number(html, WithInterval(t.Ratios.Marginal, t.Ci95?.Marginal));
            Number(html, WithInterval(t.Ratios.Shifted, t.Ci95?.Shifted));
            var link = folder + "/" + TdsReport.FileName;
            html.Append("<td>").Append(File.Exists(Path.Combine(outputDirectory, folder, TdsReport.FileName))
                ? $"<a href=\"{StaticPage.Html(link)}\">{StaticPage.Html(link)}</a>" : "<span class=\"muted\">not written</span>").Append("</td></tr>");
            if (summary.SkippedCount > 0)
            {
                html.Append("<tr><td colspan=\"7\" class=\"muted\">").Append(StaticPage.Html(Invariant($"{summary.SkippedCount} examples skipped (see the full report)"))).Append("</td></tr>");
            }
        }
        html.Append("</table>");
    }

    private static void Organism(StringBuilder html, params (string Run, TdsSummary Summary)[] runs)
    {
        html.Append("<h2>Style and knowledge</h2><p class=\"muted\">Positions per label and class. Precision: the share of shifted positions that are style (chance: the style share). ")
            .Append("Recall: the share of style positions that are shifted.</p>")
            .Append("<table><tr><th>Base prompt</th><th>Label</th><th>Positions</th><th>Unshifted</th><th>Marginal</th><th>Shifted</th></tr>");
        foreach (var (run, summary) in runs.Where(r => r.Summary.Organism is not null))
        {
            foreach (var (label, counts) in new[] { ("style", summary.Organism!.Style), ("knowledge", summary.Organism.Knowledge) })
            {
                var total = counts.Unshifted + counts.Marginal + counts.Shifted;
                html.Append("<tr><td>").Append(StaticPage.Html(run)).Append("</td><td>").Append(label).Append("</td>");
                Number(html, Invariant($"{total:N0}"));
                foreach (var count in counts.All)
                {
                    Number(html, Invariant($"{count:N0} ({DemoFindings.Percent(total == 0 ? null : (double)count / total)})"));
                }
                html.Append("</tr>");
            }
        }
        html.Append("</table><table><tr><th>Base prompt</th><th>Precision</th><th>Recall</th><th>Style share</th><th>Unlabelled positions</th></tr>");
        foreach (var (run, summary) in runs.Where(r => r.Summary.Organism is not null))
        {
            var o = summary.Organism!;
            html.Append("<tr><td>").Append(StaticPage.Html(run)).Append("</td>");
            Number(html, DemoFindings.Percent(o.Precision));
            Number(html, DemoFindings.Percent(o.Recall));
            Number(html, DemoFindings.Percent(o.StyleShare));
            Number(html, Invariant($"{o.Unlabelled:N0}"));
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    private static void Findings(StringBuilder html, IReadOnlyList<DemoFinding> findings)
    {
        html.Append("<h2>Compared with the paper</h2><table><tr><th>Published finding</th><th>Measured here</th><th>Verdict</th></tr>");
        foreach (var f in findings)
        {
            var verdict = f.Agrees switch { true => "<span class=\"agree\">agrees</span>", false => "<span class=\"differ\">differs</span>", null => "<span class=\"muted\">too little data</span>" };
            html.Append("<tr><td>").Append(StaticPage.Html(f.Claim)).Append("</td><td>").Append(StaticPage.Html(f.Measured)).Append("</td><td>").Append(verdict).Append("</td></tr>");
        }
        html.Append("</table>");
        var differing = findings.Count(f => f.Agrees == false);
        if (differing > 0)
        {
            html.Append("<p class=\"notice\">").Append(StaticPage.Html(Invariant(
                $"The measured picture differs from the paper's in {differing} of {findings.Count} points. These figures are reported as measured: a tiny model trained for minutes on a synthetic world need not behave like a 7B model."))).Append("</p>");
        }
    }

    private static void Row(StringBuilder html, string name, string value)
        => html.Append("<tr><th>").Append(StaticPage.Html(name)).Append("</th><td>").Append(StaticPage.Html(value)).Append("</td></tr>");

    private static void Number(StringBuilder html, string text) => html.Append("<td class=\"num\">").Append(StaticPage.Html(text)).Append("</td>");

    private static string WithInterval(double ratio, Interval? interval)
        => DemoFindings.Percent(ratio) + (interval is { } i ? $" ({DemoFindings.Percent(i.Low)}–{DemoFindings.Percent(i.High)})" : "");

    /// <summary>The last logged loss in the run's loss.csv, or "n/a".</summary>
    private static string Loss(RunFolder folder)
        => File.Exists(folder.LossCsv) && LossLog.Read(folder.LossCsv) is [.., var last]
            ? last.Loss.ToString("0.000", CultureInfo.InvariantCulture)
            : "n/a";

    private static long CountLines(string path) => File.Exists(path) ? File.ReadLines(path).LongCount(l => l.Length > 0) : 0;


    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
