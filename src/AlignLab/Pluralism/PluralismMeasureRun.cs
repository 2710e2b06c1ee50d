using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Formats;
using AlignLab.JustEval;
using AlignLab.Pluralism.Coverage;
using AlignLab.Reports;
using AlignLab.Tds;

namespace AlignLab.Pluralism;

/// <summary>
/// <c>pluralism measure</c>: for every instruction of the reference set, the diversity of each set's samples; with an
/// embedder, each alternative's similarity to the reference (embedding cosine, and BERTScore F1 from token vectors)
/// and the reference's own ceilings (pairs of DIFFERENT samples only); with a judge, the coverage measures
/// (<see cref="CoverageFindings"/>). Writes <see cref="InstructionsFile"/> (one line per instruction),
/// <see cref="SummaryFile"/> (per set, each measure's mean over instructions with a 95% bootstrap interval) and
/// <see cref="ReportFile"/>. The judge is asked first, so a judge that cannot be reached fails the run before the
/// embedding work; its verdicts are cached as they come. An instruction an alternative lacks is left out of that
/// alternative's figures.
/// </summary>
public static class PluralismMeasureRun
{
    public const string InstructionsFile = "instructions.jsonl";

    public const string SummaryFile = "summary.json";

    public const string ReportFile = "report.html";

    public const string SimilarityName = "similarity_to_reference";

    public const string BertScoreF1Name = "bertscore_f1";

    public const string JaccardToReferenceName = "jaccard_to_reference";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<CoverageRunResult?> ExecuteAsync(MeasureJob job, IJudgeProgress? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sets = new[] { job.Reference }.Concat(job.Alternatives).ToList();
        var duplicate = sets.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two sample sets are named '{duplicate.Key}' (after their files): rename one");
        }
        CoverageRunResult? coverage = null;
        CoverageFindings? findings = null;
        if (job.Coverage is { } judge)
        {
            var items = CoveragePlan.Items(job.Reference, job.Alternatives, judge.Settings);
            coverage = await CoverageRun.ExecuteAsync(items, judge.Judge, judge.Settings, progress, cancel).ConfigureAwait(false);
            findings = CoverageFindings.Collect(items, coverage);
        }
        var values = sets.ToDictionary(s => s.Name, _ => new Dictionary<string, List<double>>(StringComparer.Ordinal), StringComparer.Ordinal);
        var cosineCeilings = new List<double>();
        var bertScoreCeilings = new List<double>();
        var jaccardCeilings = new List<double>();
        var lines = new List<JsonObject>();
        foreach (var item in job.Reference.Instructions)
        {
            cancel.ThrowIfCancellationRequested();
            var key = item.Id.ToString();
            var reference = SampleVectors.Of(item.Samples, job.Embedder, job.TokenEmbedder);
            var referenceStems = item.Samples.Select(Words.ContentStems).ToList();
            var models = new JsonObject();
            foreach (var set in sets)
            {
                if (!set.ById.TryGetValue(key, out var answers))
                {
                    continue;
                }
                var vectors = set == job.Reference ? reference : SampleVectors.Of(answers.Samples, job.Embedder, job.TokenEmbedder);
                var measures = Measures(DiversityMeasures.Measure(answers.Samples, vectors.Pooled));
                if (set != job.Reference)
                {
                    measures.Add((JaccardToReferenceName, LexicalSimilarity.ToReference(answers.Samples, referenceStems)));
                    measures.AddRange(vectors.SimilarityTo(reference));
                }
                measures.AddRange(findings?.MeasuresOf(key, set.Name) ?? []);
                var record = Record(measures, values[set.Name]);
                if (findings?.DetailsOf(key, set.Name) is { } details)
                {
                    record["judge"] = details;
                }
                models[set.Name] = record;
            }
            var line = new JsonObject
            {
                ["id"] = JsonNode.Parse(item.Id.ToString()),
                ["models"] = models,
                ["reference_ceiling"] = Collect(reference.CosineCeiling(), cosineCeilings),
                ["reference_bertscore_ceiling"] = Collect(reference.BertScoreCeiling(), bertScoreCeilings),
                ["reference_jaccard_ceiling"] = Collect(LexicalSimilarity.Ceiling(referenceStems), jaccardCeilings),
            };
            lines.Add(line);
        }
        var summary = Summary(job, sets, values, new Ceilings(cosineCeilings, bertScoreCeilings, jaccardCeilings), coverage, findings);
        Directory.CreateDirectory(job.OutputDirectory);
        AtomicFile.WriteAllText(Path.Combine(job.OutputDirectory, InstructionsFile), string.Concat(lines.Select(l => l.ToJsonString() + "\n")));
        AtomicFile.WriteAllText(Path.Combine(job.OutputDirectory, SummaryFile), summary.ToJsonString(Indented) + "\n");
        AtomicFile.Write(Path.Combine(job.OutputDirectory, ReportFile), stream => PluralismReportPage.Write(stream, new PluralismReportData(summary, lines, sets)));
        return coverage;
    }

    /// <summary>Per instruction, the reference's similarity to itself by each measure (pairs of different samples).</summary>
    private sealed record Ceilings(List<double> Cosine, List<double> BertScore, List<double> Jaccard);

    private static double? Collect(double? value, List<double> into)
    {
        if (value is { } v)
        {
            into.Add(v);
        }
        return value;
    }

    private static JsonObject Summary(MeasureJob job, List<SampleSet> sets, Dictionary<string, Dictionary<string, List<double>>> values,
        Ceilings ceilings, CoverageRunResult? coverage, CoverageFindings? findings)
    {
        var summary = new JsonObject
        {
            ["reference"] = job.Reference.Name,
            ["alternatives"] = new JsonArray([.. job.Alternatives.Select(a => JsonValue.Create(a.Name))]),
            ["embedder"] = job.Embedder?.Name,
            ["token_embedder"] = job.TokenEmbedder?.TokenVectorsName,
            ["bertscore"] = BertScoreNote(job),
            ["instructions"] = job.Reference.Instructions.Count,
            ["interval"] = "95% percentile bootstrap over instructions",
            ["models"] = new JsonObject(sets.Select(s => KeyValuePair.Create(s.Name, (JsonNode?)Summary(values[s.Name], job.Seed)))),
            ["reference_ceiling"] = ceilings.Cosine.Count == 0 ? null : Summary(ceilings.Cosine, job.Seed),
            ["reference_bertscore_ceiling"] = ceilings.BertScore.Count == 0 ? null : Summary(ceilings.BertScore, job.Seed),
            ["reference_jaccard_ceiling"] = ceilings.Jaccard.Count == 0 ? null : Summary(ceilings.Jaccard, job.Seed),
        };
        if (job.Coverage is { } judge && coverage is not null && findings is not null)
        {
            summary["coverage"] = CoverageSummary.Describe(judge.Settings, coverage, findings, sets.Select(s => s.Name));
        }
        return summary;
    }

    /// <summary>How BERTScore was computed, or why it was not.</summary>
    private static string? BertScoreNote(MeasureJob job) => (job.Embedder, job.TokenEmbedder) switch
    {
        (_, not null) => "greedy matching of L2-normalised token vectors of " + job.TokenEmbedder.TokenVectorsName + "; special tokens left out; no IDF weighting, no baseline rescaling",
        (not null, null) => "skipped: the embedder " + job.Embedder.Name + " gives no token vectors (a served embedder returns pooled vectors only)",
        _ => null,
    };

    /// <summary>Every measure under its output name; null where undefined (pair measures of one sample).</summary>
    private static List<(string Name, double? Value)> Measures(SampleDiversity d) =>
    [
        ("jaccard_mean", d.JaccardMean),
        ("jaccard_max", d.JaccardMax),
        .. d.Distinct.Select((v, i) => ($"distinct_{i + 1}", (double?)v)),
        ("mean_length", d.MeanLength),
        ("mean_length_difference", d.MeanLengthDifference),
        ("distinct_prefix_rate", d.DistinctPrefixRate),
        ("refusal_rate", d.RefusalRate),
        ("list_rate", d.ListRate),
        ("embedding_cosine_mean", d.EmbeddingCosineMean),
    ];

    /// <summary>The instruction's measures as JSON, each defined value also collected for the summary.</summary>
    private static JsonObject Record(List<(string Name, double? Value)> measures, Dictionary<string, List<double>> collected)
    {
        var record = new JsonObject();
        foreach (var (name, value) in measures)
        {
            record[name] = value;
            if (value is { } v)
            {
                (collected.TryGetValue(name, out var list) ? list : collected[name] = []).Add(v);
            }
        }
        return record;
    }

    private static JsonObject Summary(Dictionary<string, List<double>> measures, ulong seed)
        => new(measures.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)Summary(m.Value, seed))));

    private static JsonObject Summary(List<double> values, ulong seed)
    {
        var (low, high) = Bootstrap.MeanInterval(values, seed);
        return new JsonObject { ["mean"] = values.Average(), ["low"] = low, ["high"] = high, ["instructions"] = values.Count };
    }
}
