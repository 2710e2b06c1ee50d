namespace AlignLab.JustEval;

/// <summary>How judging one answer ended.</summary>
public enum JudgmentOutcome
{
    /// <summary>Every aspect has a valid score.</summary>
    Judged,

    /// <summary>The judge gave no valid score for some aspect even after a retry, or refused the request: reported, never defaulted.</summary>
    Failed,

    /// <summary>Not finished because the run's request cap was reached; a later run judges it.</summary>
    Pending,
}

/// <summary>
/// The judgment of one answer: its scores (when <see cref="JudgmentOutcome.Judged"/>), why it failed (when
/// <see cref="JudgmentOutcome.Failed"/>), the judge's raw replies in order, and what the requests used.
/// </summary>
public sealed record Judgment
{
    public required JudgmentOutcome Outcome { get; init; }

    /// <summary>Every aspect of the answer's mode; empty unless judged.</summary>
    public IReadOnlyDictionary<string, AspectScore> Scores { get; init; } = new Dictionary<string, AspectScore>();

    public string? Failure { get; init; }

    public IReadOnlyList<string> Replies { get; init; } = [];

    public TokenUsage Usage { get; init; }

    public static Judgment Pending(IReadOnlyList<string> replies, TokenUsage usage)
        => new() { Outcome = JudgmentOutcome.Pending, Replies = replies, Usage = usage };

    public static Judgment Failed(string failure, IReadOnlyList<string> replies, TokenUsage usage)
        => new() { Outcome = JudgmentOutcome.Failed, Failure = failure, Replies = replies, Usage = usage };
}
