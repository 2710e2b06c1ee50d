namespace AlignLab.Tds;

/// <summary>One of the most likely next tokens: id and natural-log probability.</summary>
public readonly record struct TopToken(int Id, float LogProb);

/// <summary>
/// One answer position: the aligned model's token and how both models saw it (see docs/TDS-SCHEMA.md, positions.jsonl).
/// KL and entropies are null when a model gives no whole distributions.
/// </summary>
public sealed record PositionResult
{
    public required int TokenId { get; init; }

    /// <summary>The text this token adds to the answer (whole UTF-8 characters; see the streaming decoder).</summary>
    public required string Text { get; init; }

    public required ShiftClass Class { get; init; }

    public required int BaseRank { get; init; }

    public required float BaseLogProb { get; init; }

    public required float AlignedLogProb { get; init; }

    /// <summary>KL(aligned ‖ base) over the whole vocabulary.</summary>
    public required double? Kl { get; init; }

    /// <summary>KL(base ‖ aligned) over the whole vocabulary.</summary>
    public required double? KlReverse { get; init; }

    public required double? AlignedEntropy { get; init; }

    public required double? BaseEntropy { get; init; }

    public required TopKOverlap Overlap { get; init; }

    public required IReadOnlyList<TopToken> AlignedTop { get; init; }

    public required IReadOnlyList<TopToken> BaseTop { get; init; }

    /// <summary>The label of the output span the token falls in (<see cref="Data.AnswerSpans.LabelTokens"/>), when the record labels its output.</summary>
    public string? Label { get; init; }
}
