using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlignLab.Data;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Tests.Support;
using AlignLab.JustEval;

namespace AlignLab.Tests.JustEval;

/// <summary>
/// The published judged files of ../shared/data/just-eval summarized, checked against what their records give when
/// recomputed here from the raw JSON (means with N/A as 5, <c>len(output.split())</c> words, tag joins).
/// </summary>
public sealed partial class PublishedSummaryTests
{
    private const string SetName = "just_results_aligned//gpt-3.5-turbo-0301.json";
    private const double Tolerance = 1e-12;

    private static string[] Files() =>
    [
        SharedFixtures.Require("data/just-eval/judged.gpt-3.5-turbo-0301.general.0-100.json"),
        SharedFixtures.Require("data/just-eval/judged.gpt-3.5-turbo-0301.general.100-200.json"),
        SharedFixtures.Require("data/just-eval/judged.gpt-3.5-turbo-0301.safety.800-900.json"),
    ];

    /// <summary>Every record's id, words and scores, read straight from the files.</summary>
    private static List<(int Id, int Words, Dictionary<string, double> Scores)> RawRecords()
    {
        var records = new List<(int, int, Dictionary<string, double>)>();
        foreach (var file in Files())
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var record in document.RootElement.EnumerateArray())
            {
                var scores = new Dictionary<string, double>();
                foreach (var aspect in record.GetProperty("parsed_result").EnumerateObject())
                {
                    var score = aspect.Value.GetProperty("score").GetString()!;
                    scores[aspect.Name] = score == "N/A" ? 5 : double.Parse(score, CultureInfo.InvariantCulture);
                }
                records.Add((record.GetProperty("id").GetInt32(), Words().Matches(record.GetProperty("output_cand").GetString()!).Count, scores));
            }
        }
        return records;
    }

    private static Dictionary<int, JsonElement> ById(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(SharedFixtures.Require(file)));
        return document.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt32(), r => r.Clone());
    }

    private static TagTable Tags() => TagTable.Combine(
    [
        TagTable.Read(SharedFixtures.Require("data/just-eval/tags_list.json"), new BadRecordLog(false)),
        TagTable.Read(SharedFixtures.Require("data/just-eval/just-eval-instruct.llama-2-7b-chat.json"), new BadRecordLog(false)),
    ]);

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Sum() / list.Count;
    }

    [Fact]
    public void The_three_published_files_are_one_set_whose_means_are_the_records_means()
    {
        var raw = RawRecords();
        var set = Assert.Single(JudgeSummaryBuilder.Build(Files(), tags: null).Sets);
        Assert.Equal((SetName, 300, 0, 0), (set.Name, set.Judged, set.Failed, set.Uncategorized));
        Assert.Equal(Files(), set.Files);

        string[] aspects = ["helpfulness", "clarity", "factuality", "depth", "engagement", "safety"];
        Assert.Equal(aspects, set.Aspects.Select(a => a.Aspect));
        foreach (var aspect in set.Aspects)
        {
            var values = raw.Where(r => r.Scores.ContainsKey(aspect.Aspect)).Select(r => r.Scores[aspect.Aspect]).ToList();
            Assert.Equal(aspect.Aspect == "safety" ? 100 : 200, values.Count);
            Assert.Equal(values.Count, aspect.Count);
            Assert.Equal(Mean(values), aspect.Mean, Tolerance);
        }
        // As Python's just-eval report prints them for these files (N/A counted as 5).
        Assert.Equal([4.58, 4.89, 4.52, 3.235, 3.37, 5.0], set.Aspects.Select(a => Math.Round(a.Mean, 10)));
        Assert.Equal(Mean(set.Aspects.Select(a => a.Mean)), set.Average!.Value, Tolerance);
        Assert.Equal(Mean(raw.Select(r => (double)r.Words)), set.Words!.Value, Tolerance);
        Assert.Equal(116.36666666666666, set.Words!.Value, 1e-9);
        Assert.Equal(default(TokenUsage), set.Usage);
    }

    [Fact]
    public void Breakdowns_by_task_topic_difficulty_and_dataset_are_the_tagged_records_means()
    {
        var raw = RawRecords();
        var tags = ById("data/just-eval/tags_list.json");
        var instructions = ById("data/just-eval/just-eval-instruct.llama-2-7b-chat.json");
        var set = JudgeSummaryBuilder.Build(Files(), Tags()).Sets.Single();
        Assert.Equal(100, set.Untagged); // the safety records have no task, topic or difficulty

        var groupsOf = new Dictionary<string, Func<int, IEnumerable<string>>>
        {
            ["task"] = id => tags.TryGetValue(id, out var t) ? t.GetProperty("task_types").EnumerateArray().Select(e => e.GetString()!) : [],
            ["topic"] = id => tags.TryGetValue(id, out var t) ? t.GetProperty("topics").EnumerateArray().Select(e => e.GetString()!) : [],
            ["difficulty"] = id => tags.TryGetValue(id, out var t) ? [t.GetProperty("difficulty").GetString()!] : [],
            ["dataset"] = id => [instructions[id].GetProperty("dataset").GetString()!],
        };
        Assert.Equal(groupsOf.Keys, set.Breakdowns.Select(b => b.Dimension));
        foreach (var breakdown in set.Breakdowns)
        {
            var expected = raw.SelectMany(r => groupsOf[breakdown.Dimension](r.Id).Distinct().Select(g => (Group: g, Record: r))).GroupBy(x => x.Group).ToList();
            Assert.Equal(expected.Select(g => g.Key).Order(StringComparer.Ordinal), breakdown.Groups.Select(g => g.Group).Order(StringComparer.Ordinal));
            foreach (var group in breakdown.Groups)
            {
                var members = expected.Single(g => g.Key == group.Group).Select(x => x.Record).ToList();
                Assert.Equal(members.Count, group.Count);
                var means = members.SelectMany(m => m.Scores.Keys).Distinct().ToDictionary(a => a, a => Mean(members.Where(m => m.Scores.ContainsKey(a)).Select(m => m.Scores[a])));
                Assert.Equal(means.Keys.Order(StringComparer.Ordinal), group.Aspects.Select(a => a.Aspect).Order(StringComparer.Ordinal));
                Assert.All(group.Aspects, a => Assert.Equal(means[a.Aspect], a.Mean, Tolerance));
                Assert.Equal(Mean(means.Values), group.Average, Tolerance);
            }
            Assert.True(breakdown.Groups.Zip(breakdown.Groups.Skip(1)).All(p => p.First.Count >= p.Second.Count), "groups go largest first");
        }
        var infoSeek = set.Breakdowns[0].Groups.Single(g => g.Group == "info-seek");
        Assert.Equal(133, infoSeek.Count);
    }

    [Fact]
    public void Each_interval_is_the_percentile_bootstrap_of_the_mean_with_the_fixed_seed()
    {
        var raw = RawRecords();
        var depth = JudgeSummaryBuilder.Build(Files(), null).Sets.Single().Aspects.Single(a => a.Aspect == "depth");
        var values = raw.Where(r => r.Scores.ContainsKey("depth")).Select(r => r.Scores["depth"]).ToArray();

        var random = new SamplingRandom(MeanBootstrap.Seed);
        var means = new double[1000];
        for (var b = 0; b < means.Length; b++)
        {
            means[b] = Enumerable.Range(0, values.Length).Sum(_ => values[random.NextUInt64() % (ulong)values.Length]) / values.Length;
        }
        Array.Sort(means);
        static double Quantile(double[] sorted, double q)
        {
            var position = (sorted.Length - 1) * q;
            var below = (int)position;
            return sorted[below] + ((position - below) * (sorted[Math.Min(below + 1, sorted.Length - 1)] - sorted[below]));
        }
        Assert.Equal(Quantile(means, 0.025), depth.Low, Tolerance);
        Assert.Equal(Quantile(means, 0.975), depth.High, Tolerance);
        Assert.InRange(depth.Mean, depth.Low, depth.High);
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex Words();
}
