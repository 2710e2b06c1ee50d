using System.Globalization;
using System.Text.Json;

namespace AlignLab.Reports;

/// <summary>Reads summary.json (docs/TDS-SCHEMA.md) into a <see cref="TdsSummary"/>, naming the field of any departure from the schema.</summary>
internal static class SummaryParser
{
    /// <summary>Ratios and interval bounds a little outside 0..1 are float noise.</summary>
    private const double Tolerance = 1e-6;

    public static TdsSummary Read(string path, long maxBytes)
    {
        using var document = JsonDocuments.Load(path, maxBytes);
        try
        {
            return Parse(JsonFields.Object(document.RootElement, "(document)"));
        }
        catch (JsonFieldException e)
        {
            throw e.At(path);
        }
    }

    public static TdsSummary Parse(JsonElement summary)
    {
        var skipped = Optional(summary, "skipped", Skipped);
        // A run over served models has no exact KL: its KL is over the top-k lists (kl_topk), and is shown as such.
        var klTopKOnly = JsonFields.OptionalString(summary, "kl_method") == "top_k";
        return new TdsSummary(
            Total: Stats(summary, examplesRequired: true),
            Groups: [.. Categories(summary), .. Tags(summary)],
            ByAbsolutePosition: PositionBins(summary, "absolute", AbsoluteLabel),
            ByRelativePosition: PositionBins(summary, "relative", RelativeLabel),
            TopShifted: Optional(summary, "top_shifted_tokens", TopShifted),
            BaseRankHistogram: List(summary, "base_rank_histogram", bin => new RankBin(JsonFields.String(bin, "label"), JsonFields.Integer(bin, "count", 0))),
            MeanKlByPosition: List(summary, "mean_kl_by_position", bin => new KlBin(
                AbsoluteLabel(bin), JsonFields.Integer(bin, "positions", 0),
                JsonFields.OptionalNumber(bin, klTopKOnly ? "mean_kl_topk" : "mean_kl"), klTopKOnly ? null : JsonFields.OptionalNumber(bin, "mean_kl_reverse"))),
            Metrics: Optional(summary, "metrics", Metrics) ?? [],
            SkippedCount: skipped?.Count ?? 0,
            Skipped: skipped?.Items ?? [],
            Organism: Optional(summary, "organism", Organism))
        {
            KlTopKOnly = klTopKOnly,
        };
    }

    private static OrganismStats Organism(JsonElement organism)
    {
        JsonFields.Object(organism, "");
        PerClass<long> Counts(string name) => Within(name, () => PerClassOf(JsonFields.Object(JsonFields.Get(organism, name), ""), (v, f) => JsonFields.AsInteger(v, f, 0)));
        return new OrganismStats(Counts("style"), Counts("knowledge"),
            JsonFields.OptionalNumber(organism, "precision", 0, 1 + Tolerance), JsonFields.OptionalNumber(organism, "recall", 0, 1 + Tolerance),
            JsonFields.OptionalNumber(organism, "style_share", 0, 1 + Tolerance),
            JsonFields.IsMissing(organism, "unlabelled") ? 0 : JsonFields.Integer(organism, "unlabelled", 0));
    }

    private sealed record SkippedList(long Count, List<SkippedExample> Items);

    private static SkippedList Skipped(JsonElement skipped)
    {
        JsonFields.Object(skipped, "");
        var items = List(skipped, "items", item => new SkippedExample(JsonFields.StringOrNumber(item, "id"), JsonFields.OptionalString(item, "reason") ?? ""));
        return new SkippedList(JsonFields.IsMissing(skipped, "count") ? items.Count : JsonFields.Integer(skipped, "count", 0), items);
    }

    private static ClassStats Stats(JsonElement group, bool examplesRequired = false) => new(
        Examples: examplesRequired || !JsonFields.IsMissing(group, "examples") ? JsonFields.Integer(group, "examples", 0) : null,
        Positions: JsonFields.Integer(group, "positions", 0),
        Counts: Within("counts", () => PerClassOf(JsonFields.Object(JsonFields.Get(group, "counts"), ""), (v, f) => JsonFields.AsInteger(v, f, 0))),
        Ratios: Within("ratios", () => PerClassOf(JsonFields.Object(JsonFields.Get(group, "ratios"), ""), (v, f) => Ratio(JsonFields.AsNumber(v, f, -Tolerance, 1 + Tolerance)))),
        Ci95: OptionalValue(group, "ratio_ci95", ci => PerClassOf(JsonFields.Object(ci, ""), Interval)));

    private static PerClass<T> PerClassOf<T>(JsonElement obj, Func<JsonElement?, string, T> read) => new(
        read(JsonFields.Get(obj, "unshifted"), "unshifted"),
        read(JsonFields.Get(obj, "marginal"), "marginal"),
        read(JsonFields.Get(obj, "shifted"), "shifted"));

    private static Interval Interval(JsonElement? value, string field)
    {
        if (value is not { ValueKind: JsonValueKind.Array } pair || pair.GetArrayLength() != 2)
        {
            throw JsonFields.Expected(field, "a [low, high] pair", value);
        }
        var low = Ratio(JsonFields.AsNumber(pair[0], field + "[0]", -Tolerance, 1 + Tolerance));
        var high = Ratio(JsonFields.AsNumber(pair[1], field + "[1]", -Tolerance, 1 + Tolerance));
        return low <= high ? new Interval(low, high) : throw new JsonFieldException(field, $"expected low ≤ high, got [{Format(low)}, {Format(high)}]");
    }

    private static double Ratio(double value) => Math.Clamp(value, 0, 1);

    private static IEnumerable<GroupStats> Categories(JsonElement summary)
        => Optional(summary, "by_category", c => Groups(JsonFields.Object(c, ""), "category")) ?? [];

    private static IEnumerable<GroupStats> Tags(JsonElement summary)
        => Optional(summary, "by_tag", tags => JsonFields.Object(tags, "").EnumerateObject()
            .SelectMany(kind => Within(kind.Name, () => Groups(JsonFields.Object(kind.Value, ""), kind.Name)))
            .ToList()) ?? [];

    private static List<GroupStats> Groups(JsonElement groups, string kind)
        => [.. groups.EnumerateObject().Select(g => new GroupStats(kind, g.Name, Within(g.Name, () => Stats(JsonFields.Object(g.Value, "")))))];

    private static IReadOnlyList<PositionBin> PositionBins(JsonElement summary, string name, Func<JsonElement, string> label)
        => Optional(summary, "by_position", p => List(JsonFields.Object(p, ""), name, bin => new PositionBin(label(bin), Stats(bin)))) ?? [];

    /// <summary>"0–15" for {"start": 0, "end": 16} (end exclusive); "500+" for an open last bin.</summary>
    private static string AbsoluteLabel(JsonElement bin)
    {
        var start = JsonFields.Integer(bin, "start", 0);
        if (JsonFields.IsMissing(bin, "end"))
        {
            return Format(start) + "+";
        }
        var end = JsonFields.Integer(bin, "end", start);
        return end - 1 <= start ? Format(start) : Format(start) + "–" + Format(end - 1);
    }

    /// <summary>"30–40%" for decile 3.</summary>
    private static string RelativeLabel(JsonElement bin)
    {
        var decile = JsonFields.Integer(bin, "decile", 0, 9);
        return Format(decile * 10) + "–" + Format((decile + 1) * 10) + "%";
    }

    private static TopShiftedTokens TopShifted(JsonElement top)
    {
        JsonFields.Object(top, "");
        return new TopShiftedTokens(
            JsonFields.IsMissing(top, "min_count") ? 0 : JsonFields.Integer(top, "min_count", 0),
            List(top, "by_count", ShiftedToken),
            List(top, "by_rate", ShiftedToken));
    }

    private static ShiftedToken ShiftedToken(JsonElement token) => new(
        JsonFields.String(token, "token"), JsonFields.Integer(token, "id", 0), JsonFields.Integer(token, "shifted", 0),
        JsonFields.Integer(token, "total", 0), JsonFields.Number(token, "rate", 0, 1 + Tolerance));

    /// <summary>Every numeric (or null) field of "metrics", in file order; other kinds of value are not metrics.</summary>
    private static List<KeyValuePair<string, double?>> Metrics(JsonElement metrics)
        => [.. JsonFields.Object(metrics, "").EnumerateObject()
            .Where(m => m.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null)
            .Select(m => KeyValuePair.Create(m.Name, JsonFields.OptionalNumber(metrics, m.Name)))];

    /// <summary>The array field's items, each read by <paramref name="read"/>; an absent field is an empty list.</summary>
    private static List<T> List<T>(JsonElement obj, string name, Func<JsonElement, T> read)
    {
        if (JsonFields.IsMissing(obj, name))
        {
            return [];
        }
        var list = new List<T>();
        foreach (var item in JsonFields.Array(JsonFields.Get(obj, name), name).EnumerateArray())
        {
            var index = list.Count;
            list.Add(Within(string.Create(CultureInfo.InvariantCulture, $"{name}[{index}]"), () => read(JsonFields.Object(item, ""))));
        }
        return list;
    }

    /// <summary>The field read by <paramref name="read"/>, or null when it is absent or JSON null.</summary>
    private static T? Optional<T>(JsonElement obj, string name, Func<JsonElement, T> read) where T : class
        => JsonFields.IsMissing(obj, name) ? null : Within(name, () => read(JsonFields.Get(obj, name)!.Value));

    private static T? OptionalValue<T>(JsonElement obj, string name, Func<JsonElement, T> read) where T : struct
        => JsonFields.IsMissing(obj, name) ? null : Within(name, () => read(JsonFields.Get(obj, name)!.Value));

    private static T Within<T>(string field, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (JsonFieldException e)
        {
            throw e.Within(field);
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
