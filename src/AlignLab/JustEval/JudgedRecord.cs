using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>
/// One judged answer as summaries read it, from a published Just-Eval file or our own judgments: its set (the
/// generator), id, answer text, the scores as aggregates count them (N/A as 5) or why it failed, and where it came from.
/// </summary>
public sealed record JudgedRecord
{
    public required RecordId Id { get; init; }

    /// <summary>The answer set: the record's "generator" ("generator_cand" in published files).</summary>
    public required string Set { get; init; }

    public required string Output { get; init; }

    /// <summary>Scores by aspect (N/A counted as 5); empty when the judgment failed.</summary>
    public required IReadOnlyDictionary<string, double> Scores { get; init; }

    /// <summary>Why the answer has no judgment; null when it has one.</summary>
    public string? Failure { get; init; }

    /// <summary>The source dataset, when the record names it.</summary>
    public string? Dataset { get; init; }

    /// <summary>Whether the record has a "category" field set to null: its answer had no category and was judged as regular.</summary>
    public bool Uncategorized { get; init; }

    public TokenUsage Usage { get; init; }

    public required string File { get; init; }

    public required long Line { get; init; }

    public bool IsJudged => Failure is null;
}
