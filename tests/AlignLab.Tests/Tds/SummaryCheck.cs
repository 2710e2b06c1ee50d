using System.Text.Json;
using AlignLab.Tds;

namespace AlignLab.Tests.Tds;

/// <summary>Recomputes summary.json's figures from positions.jsonl and skipped.jsonl, written out here independently of the code under test.</summary>
internal static class SummaryCheck
{
    private static readonly string[] Classes = ["unshifted", "marginal", "shifted"];

    public static void AgreesWithPositions(string folder)
    {
        var examples = File.ReadAllLines(Path.Combine(folder, TdsFiles.Positions)).Select(l => JsonDocument.Parse(l).RootElement)
            .OrderBy(e => e.GetProperty("index").GetInt32()).ToList();
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TdsFiles.Summary))).RootElement;
        var tokens = examples.SelectMany(e => e.GetProperty("tokens").EnumerateArray()).ToList();
        Assert.NotEmpty(tokens);

        Assert.Equal(examples.Count, summary.GetProperty("examples").GetInt32());
        Assert.Equal(tokens.Count, summary.GetProperty("positions").GetInt32());
        CountsMatch(tokens, summary);

        // Categories and tags.
        foreach (var group in examples.GroupBy(e => e.GetProperty("category").GetString() ?? "(none)"))
        {
            var g = summary.GetProperty("by_category").GetProperty(group.Key);
            Assert.Equal(group.Count(), g.GetProperty("examples").GetInt32());
            CountsMatch([.. group.SelectMany(e => e.GetProperty("tokens").EnumerateArray())], g);
        }
        var tagged = examples.Where(e => e.TryGetProperty("tags", out _)).ToList();
        foreach (var type in tagged.SelectMany(e => e.GetProperty("tags").GetProperty("task_types").EnumerateArray().Select(t => t.GetString()!)).Distinct())
        {
            var members = tagged.Where(e => e.GetProperty("tags").GetProperty("task_types").EnumerateArray().Any(t => t.GetString() == type)).ToList();
            var g = summary.GetProperty("by_tag").GetProperty("task_types").GetProperty(type);
            Assert.Equal(members.Count, g.GetProperty("examples").GetInt32());
            CountsMatch([.. members.SelectMany(e => e.GetProperty("tokens").EnumerateArray())], g);
        }
        Assert.Equal(tagged.Select(e => e.GetProperty("tags").GetProperty("difficulty").GetString()).Distinct().Order(StringComparer.Ordinal),
            summary.GetProperty("by_tag").GetProperty("difficulty").EnumerateObject().Select(p => p.Name));

        // Positions: absolute bins of 16 and relative deciles.
        var absolute = summary.GetProperty("by_position").GetProperty("absolute").EnumerateArray().ToList();
        var longest = examples.Max(e => e.GetProperty("tokens").GetArrayLength());
        Assert.Equal((longest + 15) / 16, absolute.Count);
        for (var b = 0; b < absolute.Count; b++)
        {
            Assert.Equal((b * 16, b * 16 + 16), (absolute[b].GetProperty("start").GetInt32(), absolute[b].GetProperty("end").GetInt32()));
            CountsMatch([.. examples.SelectMany(e => e.GetProperty("tokens").EnumerateArray().Skip(b * 16).Take(16))], absolute[b]);
        }
        var relative = summary.GetProperty("by_position").GetProperty("relative").EnumerateArray().ToList();
        Assert.Equal(10, relative.Count);
        for (var d = 0; d < 10; d++)
        {
            var inDecile = examples.SelectMany(e =>
            {
                var list = e.GetProperty("tokens").EnumerateArray().ToList();
                return list.Where((_, j) => j * 10 / list.Count == d);
            }).ToList();
            Assert.Equal(d, relative[d].GetProperty("decile").GetInt32());
            CountsMatch(inDecile, relative[d]);
        }

        // Base-rank histogram.
        (int Min, int Max)[] bins = [(1, 1), (2, 2), (3, 3), (4, 5), (6, 10), (11, 100), (101, int.MaxValue)];
        var histogram = summary.GetProperty("base_rank_histogram").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3", "4-5", "6-10", "11-100", ">100"], histogram.Select(h => h.GetProperty("label").GetString()));
        for (var i = 0; i < bins.Length; i++)
        {
            Assert.Equal(tokens.Count(t => t.GetProperty("base_rank").GetInt32() is var r && r >= bins[i].Min && r <= bins[i].Max), histogram[i].GetProperty("count").GetInt32());
        }

        // Most shifted tokens by count.
        var shiftedById = tokens.GroupBy(t => t.GetProperty("id").GetInt32())
            .Select(g => (Id: g.Key, Shifted: g.Count(t => t.GetProperty("class").GetString() == "shifted"), Total: g.Count()))
            .Where(t => t.Shifted > 0).OrderByDescending(t => t.Shifted).ThenBy(t => t.Id).Take(50).ToList();
        var byCount = summary.GetProperty("top_shifted_tokens").GetProperty("by_count").EnumerateArray()
            .Select(t => (t.GetProperty("id").GetInt32(), t.GetProperty("shifted").GetInt32(), t.GetProperty("total").GetInt32())).ToList();
        Assert.Equal(shiftedById, byCount);

        // Per example and the means.
        var perExample = summary.GetProperty("per_example").EnumerateArray().ToList();
        Assert.Equal(examples.Select(e => e.GetProperty("id").GetRawText()), perExample.Select(p => p.GetProperty("id").GetRawText()));
        for (var i = 0; i < examples.Count; i++)
        {
            var list = examples[i].GetProperty("tokens").EnumerateArray().ToList();
            CountsMatch(list, perExample[i]);
            Assert.Equal(list.Average(t => t.GetProperty("kl").GetDouble()), perExample[i].GetProperty("mean_kl").GetDouble(), 1e-12);
        }
        var metrics = summary.GetProperty("metrics");
        foreach (var (metric, field) in new[] { ("mean_kl", "kl"), ("mean_kl_reverse", "kl_reverse"), ("mean_jaccard", "jaccard"), ("mean_weighted_overlap", "weighted_overlap"),
                     ("mean_aligned_entropy", "aligned_entropy"), ("mean_base_entropy", "base_entropy") })
        {
            Assert.Equal(tokens.Average(t => t.GetProperty(field).GetDouble()), metrics.GetProperty(metric).GetDouble(), 1e-12);
        }

        // Bootstrap intervals: ordered, within [0, 1], around the ratio.
        foreach (var c in Classes)
        {
            var ci = summary.GetProperty("ratio_ci95").GetProperty(c).EnumerateArray().Select(v => v.GetDouble()).ToList();
            var ratio = summary.GetProperty("ratios").GetProperty(c).GetDouble();
            Assert.True(0 <= ci[0] && ci[0] <= ratio && ratio <= ci[1] && ci[1] <= 1, $"{c}: {ratio} not within [{ci[0]}, {ci[1]}]");
        }
    }

    private static void CountsMatch(List<JsonElement> tokens, JsonElement group)
    {
        Assert.Equal(tokens.Count, group.GetProperty("positions").GetInt32());
        foreach (var c in Classes)
        {
            var count = tokens.Count(t => t.GetProperty("class").GetString() == c);
            Assert.Equal(count, group.GetProperty("counts").GetProperty(c).GetInt32());
            Assert.Equal(tokens.Count == 0 ? 0 : (double)count / tokens.Count, group.GetProperty("ratios").GetProperty(c).GetDouble(), 1e-15);
        }
    }
}
