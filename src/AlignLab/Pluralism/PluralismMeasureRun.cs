using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Embeddings;
using AlignLab.Engine.Formats;
using AlignLab.Tds;

namespace AlignLab.Pluralism;

/// <summary>
/// <c>pluralism measure</c>: for every instruction of the reference set, the diversity of each set's samples and,
/// with an embedder, each alternative's similarity to the reference and the reference's own ceiling (pairs of
/// different samples only). Writes <see cref="InstructionsFile"/> (one line per instruction) and
/// <see cref="SummaryFile"/> (per set, each measure's mean over instructions with a 95% bootstrap interval).
/// An instruction an alternative lacks is left out of that alternative's figures.
/// </summary>
public static class PluralismMeasureRun
{
    public const string InstructionsFile = "instructions.jsonl";

    public const string SummaryFile = "summary.json";

    private const string SimilarityName = "similarity_to_reference";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Execute(SampleSet reference, IReadOnlyList<SampleSet> alternatives, IEmbedder? embedder, string outputDirectory, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(alternatives);
        var sets = new[] { reference }.Concat(alternatives).ToList();
        var duplicate = sets.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two sample sets are named '{duplicate.Key}' (after their files): rename one");
        }
        var values = sets.ToDictionary(s => s.Name, _ => new Dictionary<string, List<double>>(StringComparer.Ordinal), StringComparer.Ordinal);
        var ceilings = new List<double>();
        var lines = new List<string>();
        foreach (var item in reference.Instructions)
        {
            var key = item.Id.ToString();
            var referenceVectors = embedder is null ? null : Embed(embedder, item.Samples);
            var models = new JsonObject();
            foreach (var set in sets)
            {
                if (!set.ById.TryGetValue(key, out var answers))
                {
                    continue;
                }
                var vectors = set == reference ? referenceVectors : embedder is null ? null : Embed(embedder, answers.Samples);
                var measures = Measures(DiversityMeasures.Measure(answers.Samples, vectors));
                if (set != reference && vectors is not null)
                {
                    measures.Add((SimilarityName, EmbeddingSimilarity.ToReference(vectors, referenceVectors!)));
                }
                models[set.Name] = Record(measures, values[set.Name]);
            }
            var ceiling = referenceVectors is null ? null : EmbeddingSimilarity.Ceiling(referenceVectors);
            if (ceiling is { } c)
            {
                ceilings.Add(c);
            }
            var line = new JsonObject { ["id"] = JsonNode.Parse(item.Id.ToString()), ["models"] = models, ["reference_ceiling"] = ceiling };
            lines.Add(line.ToJsonString());
        }
        Directory.CreateDirectory(outputDirectory);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, InstructionsFile), string.Concat(lines.Select(l => l + "\n")));
        var summary = new JsonObject
        {
            ["reference"] = reference.Name,
            ["alternatives"] = new JsonArray([.. alternatives.Select(a => JsonValue.Create(a.Name))]),
            ["embedder"] = embedder?.Name,
            ["instructions"] = reference.Instructions.Count,
            ["interval"] = "95% percentile bootstrap over instructions",
            ["models"] = new JsonObject(sets.Select(s => KeyValuePair.Create(s.Name, (JsonNode?)Summary(values[s.Name], seed)))),
            ["reference_ceiling"] = ceilings.Count == 0 ? null : Summary(ceilings, seed),
        };
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, SummaryFile), summary.ToJsonString(Indented) + "\n");
    }

    private static List<float[]> Embed(IEmbedder embedder, IReadOnlyList<string> samples) => [.. embedder.EmbedAll(samples)];

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
