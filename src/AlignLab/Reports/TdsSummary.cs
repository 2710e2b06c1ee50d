namespace AlignLab.Reports;

/// <summary>One value per token class, in the order unshifted, marginal, shifted.</summary>
internal readonly record struct PerClass<T>(T Unshifted, T Marginal, T Shifted)
{
    public IEnumerable<T> All => [Unshifted, Marginal, Shifted];
}

/// <summary>A 95% confidence interval.</summary>
internal readonly record struct Interval(double Low, double High);

/// <summary>Class counts and ratios of a set of positions (all of them, a category, a tag, a position bin).</summary>
internal sealed record ClassStats(long? Examples, long Positions, PerClass<long> Counts, PerClass<double> Ratios, PerClass<Interval>? Ci95);

/// <summary>A named group of examples: a category, or one value of a tag kind ("topics": "math").</summary>
internal sealed record GroupStats(string Kind, string Name, ClassStats Stats);

/// <summary>A span of answer positions with its class statistics; Label reads "0–15" or "30–40%".</summary>
internal sealed record PositionBin(string Label, ClassStats Stats);

internal sealed record ShiftedToken(string Token, long Id, long Shifted, long Total, double Rate);

internal sealed record TopShiftedTokens(long MinCount, IReadOnlyList<ShiftedToken> ByCount, IReadOnlyList<ShiftedToken> ByRate);

internal sealed record RankBin(string Label, long Count);

internal sealed record KlBin(string Label, long Positions, double? MeanKl, double? MeanKlReverse);

internal sealed record SkippedExample(string Id, string Reason);

/// <summary>
/// summary.json's "organism" section: shift classes of the positions in labelled style and knowledge spans,
/// and "shifted" judged as a detector of style (precision, recall, and the style share as chance precision).
/// </summary>
internal sealed record OrganismStats(PerClass<long> Style, PerClass<long> Knowledge, double? Precision, double? Recall, double? StyleShare, long Unlabelled);

/// <summary>
/// What the report shows of one aligned model's summary.json (docs/TDS-SCHEMA.md). Only the totals are
/// required; a section the summary lacks is shown as absent. per_example is not read: the report
/// computes each example's figures from positions.jsonl, which it reads anyway.
/// </summary>
internal sealed record TdsSummary(
    ClassStats Total,
    IReadOnlyList<GroupStats> Groups,
    IReadOnlyList<PositionBin> ByAbsolutePosition,
    IReadOnlyList<PositionBin> ByRelativePosition,
    TopShiftedTokens? TopShifted,
    IReadOnlyList<RankBin> BaseRankHistogram,
    IReadOnlyList<KlBin> MeanKlByPosition,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    long SkippedCount,
    IReadOnlyList<SkippedExample> Skipped,
    OrganismStats? Organism = null)
{
    public const string FileName = "summary.json";

    /// <summary>
    /// Whether the run's KL is over the top-k lists only (summary.json's kl_method "top_k": served models give no whole
    /// distributions); the KL by position and per token are then kl_topk, and KL(base ‖ aligned) is absent.
    /// </summary>
    public bool KlTopKOnly { get; init; }
}
