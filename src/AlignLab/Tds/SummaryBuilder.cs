using System.Text.Json.Nodes;
using AlignLab.Data;

namespace AlignLab.Tds;

/// <summary>
/// Builds summary.json (docs/TDS-SCHEMA.md) from positions.jsonl and skipped.jsonl read in record order, one
/// example at a time: nothing but per-example counts is held. Groups: by category (records without one
/// under "(none)"), by tag (an example counts under each of its task types and topics), by absolute
/// position (bins of <see cref="BinWidth"/> answer tokens) and by relative position (deciles of each
/// answer: position j of m falls in decile ⌊10 j / m⌋).
/// </summary>
public sealed class SummaryBuilder(ulong seed)
{
    public const int BinWidth = 16;
    public const int TopTokens = 50;
    public const int MinCountForRate = 5;
    public const string NoCategory = "(none)";

    private static readonly (string Label, int Min, int? Max)[] RankBins =
        [("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4-5", 4, 5), ("6-10", 6, 10), ("11-100", 11, 100), (">100", 101, null)];

    private readonly List<ExampleStats> _examples = [];
    private readonly List<SkippedLine> _skipped = [];
    private readonly ClassCounts _all = new();
    private readonly List<PositionBin> _bins = [];
    private readonly ClassCounts[] _deciles = [.. Enumerable.Range(0, 10).Select(_ => new ClassCounts())];
    private readonly Dictionary<int, TokenStats> _tokens = [];
    private readonly long[] _rankCounts = new long[RankBins.Length];
    private readonly SpanLabelStats _labels = new();
    private readonly Mean _kl = new(), _klReverse = new(), _jaccard = new(), _overlap = new(), _klTopK = new(), _alignedEntropy = new(), _baseEntropy = new();

    public void Add(ExampleLine example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var stats = new ExampleStats(example.Id, example.Index, example.Category, example.Tags);
        var m = example.Tokens.Count;
        for (var j = 0; j < m; j++)
        {
            var t = example.Tokens[j];
            stats.Counts.Add(t.Class);
            stats.Kl.Add(t.Kl);
            stats.KlTopK.Add(t.KlTopK);
            _all.Add(t.Class);
            Bin(j).Add(t);
            _deciles[10 * j / m].Add(t.Class);
            if (!_tokens.TryGetValue(t.Id, out var token))
            {
                token = new TokenStats(t.Text);
                _tokens[t.Id] = token;
            }
            token.Total++;
            token.Shifted += t.Class == ShiftClass.Shifted ? 1 : 0;
            _rankCounts[Array.FindIndex(RankBins, b => t.BaseRank >= b.Min && (b.Max is null || t.BaseRank <= b.Max))]++;
            _kl.Add(t.Kl);
            _klReverse.Add(t.KlReverse);
            _jaccard.Add(t.Jaccard);
            _overlap.Add(t.WeightedOverlap);
            _klTopK.Add(t.KlTopK);
            _alignedEntropy.Add(t.AlignedEntropy);
            _baseEntropy.Add(t.BaseEntropy);
            _labels.Add(t);
        }
        _examples.Add(stats);
    }

    public void AddSkipped(SkippedLine skipped) => _skipped.Add(skipped ?? throw new ArgumentNullException(nameof(skipped)));

    public JsonObject Build()
    {
        var summary = Core();
        if (_labels.Any)
        {
            summary["by_label"] = _labels.ByLabelJson();
            summary["organism"] = _labels.OrganismJson();
        }
        return summary;
    }

    private JsonObject Core() => new()
    {
        ["examples"] = _examples.Count,
        ["positions"] = _all.Positions,
        ["skipped"] = new JsonObject
        {
            ["count"] = _skipped.Count,
            ["items"] = new JsonArray([.. _skipped.Select(s => new JsonObject { ["id"] = IdNode(s.Id), ["reason"] = s.Reason })]),
        },
        ["counts"] = _all.CountsJson(),
        ["ratios"] = _all.RatiosJson(),
        ["ratio_ci95"] = Intervals(_examples),
        ["by_category"] = Groups(_examples.GroupBy(e => e.Category ?? NoCategory)),
        ["by_tag"] = new JsonObject
        {
            ["task_types"] = Groups(_examples.SelectMany(e => (e.Tags?.TaskTypes ?? []).Distinct().Select(v => (v, e))).GroupBy(p => p.v, p => p.e)),
            ["topics"] = Groups(_examples.SelectMany(e => (e.Tags?.Topics ?? []).Distinct().Select(v => (v, e))).GroupBy(p => p.v, p => p.e)),
            ["difficulty"] = Groups(_examples.Where(e => e.Tags?.Difficulty is not null).GroupBy(e => e.Tags!.Difficulty!)),
        },
        ["by_position"] = new JsonObject
        {
            ["absolute"] = new JsonArray([.. _bins.Select((b, i) => WithCounts(BinRange(i), b.Counts))]),
            ["relative"] = new JsonArray([.. _deciles.Select((d, i) => WithCounts(new JsonObject { ["decile"] = i }, d))]),
        },
        ["top_shifted_tokens"] = TopShiftedTokens(),
        ["base_rank_histogram"] = new JsonArray([.. RankBins.Select((b, i) => new JsonObject
        {
            ["label"] = b.Label, ["min"] = b.Min, ["max"] = b.Max, ["count"] = _rankCounts[i],
        })]),
        ["per_example"] = new JsonArray([.. _examples.Select(e => WithCounts(new JsonObject
        {
            ["id"] = IdNode(e.Id), ["index"] = e.Index, ["category"] = e.Category,
        }, e.Counts).Also(o =>
        {
            o["mean_kl"] = e.Kl.Value;
            o["mean_kl_topk"] = e.KlTopK.Value;
        }))]),
        ["mean_kl_by_position"] = new JsonArray([.. _bins.Select((b, i) => BinRange(i).Also(o =>
        {
            o["positions"] = b.Counts.Positions;
            o["mean_kl"] = b.Kl.Value;
            o["mean_kl_reverse"] = b.KlReverse.Value;
            o["mean_kl_topk"] = b.KlTopK.Value;
        }))]),
        ["kl_method"] = KlMethod,
        ["metrics"] = new JsonObject
        {
            ["mean_kl"] = _kl.Value,
            ["mean_kl_reverse"] = _klReverse.Value,
            ["mean_jaccard"] = _jaccard.Value,
            ["mean_weighted_overlap"] = _overlap.Value,
            ["mean_kl_topk"] = _klTopK.Value,
            ["mean_aligned_entropy"] = _alignedEntropy.Value,
            ["mean_base_entropy"] = _baseEntropy.Value,
        },
        ["bootstrap"] = new JsonObject { ["resamples"] = Bootstrap.Resamples, ["confidence"] = Bootstrap.Confidence, ["seed"] = seed },
    };

    /// <summary>
    /// What KL the run has: "exact" (over the whole vocabulary, both models local), "top_k" (served models give only their
    /// top-k lists: kl is null and kl_topk, over the ids in both lists renormalised, is all there is), or null (no positions).
    /// </summary>
    private string? KlMethod => _kl.Count > 0 ? "exact" : _klTopK.Count > 0 ? "top_k" : null;

    /// <summary>A number id as its JSON number text, a string id as a string.</summary>
    public static JsonNode IdNode(RecordId id)
        => (id ?? throw new ArgumentNullException(nameof(id))).IsNumber ? JsonNode.Parse(id.Text)! : JsonValue.Create(id.Text);

    private PositionBin Bin(int position)
    {
        while (_bins.Count <= position / BinWidth)
        {
            _bins.Add(new PositionBin());
        }
        return _bins[position / BinWidth];
    }

    private static JsonObject BinRange(int i) => new() { ["start"] = i * BinWidth, ["end"] = (i + 1) * BinWidth };

    private static JsonObject WithCounts(JsonObject json, ClassCounts counts)
    {
        json["positions"] = counts.Positions;
        json["counts"] = counts.CountsJson();
        json["ratios"] = counts.RatiosJson();
        return json;
    }

    private JsonObject Intervals(IEnumerable<ExampleStats> examples)
    {
        var intervals = Bootstrap.RatioIntervals([.. examples.Select(e => e.Counts)], seed);
        return ClassCounts.PerClass(c => new JsonArray(intervals[c].Low, intervals[c].High));
    }

    /// <summary>GROUP per key, keys in ordinal order.</summary>
    private JsonObject Groups(IEnumerable<IGrouping<string, ExampleStats>> groups)
    {
        var json = new JsonObject();
        foreach (var group in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var counts = new ClassCounts();
            members.ForEach(e => counts.Add(e.Counts));
            json[group.Key] = WithCounts(new JsonObject { ["examples"] = members.Count }, counts).Also(o => o["ratio_ci95"] = Intervals(members));
        }
        return json;
    }

    private JsonObject TopShiftedTokens()
    {
        var shifted = _tokens.Where(t => t.Value.Shifted > 0).ToList();
        var byCount = shifted.OrderByDescending(t => t.Value.Shifted).ThenBy(t => t.Key).Take(TopTokens);
        var byRate = shifted.Where(t => t.Value.Total >= MinCountForRate)
            .OrderByDescending(t => t.Value.Rate).ThenByDescending(t => t.Value.Shifted).ThenBy(t => t.Key).Take(TopTokens);
        return new JsonObject
        {
            ["min_count"] = MinCountForRate,
            ["by_count"] = new JsonArray([.. byCount.Select(TokenJson)]),
            ["by_rate"] = new JsonArray([.. byRate.Select(TokenJson)]),
        };
    }

    private static JsonObject TokenJson(KeyValuePair<int, TokenStats> t) => new()
    {
        ["token"] = t.Value.Text, ["id"] = t.Key, ["shifted"] = t.Value.Shifted, ["total"] = t.Value.Total, ["rate"] = t.Value.Rate,
    };

    private sealed class ExampleStats(RecordId id, int index, string? category, InstructionTags? tags)
    {
        public RecordId Id { get; } = id;

        public int Index { get; } = index;

        public string? Category { get; } = category;

        public InstructionTags? Tags { get; } = tags;

        public ClassCounts Counts { get; } = new();

        public Mean Kl { get; } = new();

        public Mean KlTopK { get; } = new();
    }

    private sealed class PositionBin
    {
        public ClassCounts Counts { get; } = new();

        public Mean Kl { get; } = new();

        public Mean KlReverse { get; } = new();

        public Mean KlTopK { get; } = new();

        public void Add(TokenLine t)
        {
            Counts.Add(t.Class);
            Kl.Add(t.Kl);
            KlReverse.Add(t.KlReverse);
            KlTopK.Add(t.KlTopK);
        }
    }

    /// <summary>A token's text (as first met) and how often it was the aligned token, and shifted.</summary>
    private sealed class TokenStats(string text)
    {
        public string Text { get; } = text;

        public long Total { get; set; }

        public long Shifted { get; set; }

        public double Rate => (double)Shifted / Total;
    }
}
