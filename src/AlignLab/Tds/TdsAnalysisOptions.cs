using System.Globalization;

namespace AlignLab.Tds;

/// <summary>What decides an example's analysis (everything that changes positions.jsonl).</summary>
public sealed record TdsAnalysisOptions
{
    /// <summary>Most answer tokens generated, an end-of-turn token included (--max-new-tokens).</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>Candidates kept per position and side (--top-k), at least 1.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Highest base rank that is still "marginal" (--marginal-max), at least 2... or 1 for no marginal class.</summary>
    public int MarginalMax { get; init; } = 3;

    /// <summary>Teacher-force each record's <c>output</c> instead of generating (--use-outputs).</summary>
    public bool UseOutputs { get; init; }

    /// <summary>System message of the aligned chat prompt (--system).</summary>
    public string? System { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), string.Create(CultureInfo.InvariantCulture, $"max new tokens {MaxNewTokens} must be ≥ 1"));
        }
        if (TopK < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), string.Create(CultureInfo.InvariantCulture, $"top-k {TopK} must be ≥ 1"));
        }
        if (MarginalMax < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MarginalMax), string.Create(CultureInfo.InvariantCulture, $"marginal max {MarginalMax} must be ≥ 1"));
        }
    }
}
