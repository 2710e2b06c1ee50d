using AlignLab.JustEval;

namespace AlignLab.Pluralism.Coverage;

/// <summary>A coverage question that could not be answered, and why.</summary>
public sealed record CoverageFailure(CoverageItem Item, string Reason);

/// <summary>What a coverage run found: a verdict per item key (judged ones only), and what it did and used.</summary>
public sealed record CoverageRunResult
{
    public required IReadOnlyDictionary<string, CoverageVerdict> Verdicts { get; init; }

    public required int Items { get; init; }

    public required int Cached { get; init; }

    public required int Judged { get; init; }

    public required IReadOnlyList<CoverageFailure> Failures { get; init; }

    public required int Pending { get; init; }

    /// <summary>This run's requests and tokens (cached verdicts cost nothing).</summary>
    public required TokenUsage Usage { get; init; }
}
