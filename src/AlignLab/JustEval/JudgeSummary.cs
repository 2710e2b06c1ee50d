namespace AlignLab.JustEval;

/// <summary>One aspect's mean over the records that have it, with its 95% bootstrap interval.</summary>
public sealed record AspectMean(string Aspect, double Mean, int Count, double Low, double High);

/// <summary>The scores of the records in one group of a breakdown (a task type, a topic, ...): each aspect's mean and their average.</summary>
public sealed record GroupScores(string Group, int Count, IReadOnlyList<(string Aspect, double Mean)> Aspects, double Average);

/// <summary>A breakdown of a set's records by one dimension: "task", "topic", "difficulty" or "dataset".</summary>
public sealed record Breakdown(string Dimension, IReadOnlyList<GroupScores> Groups);

/// <summary>
/// The summary of one answer set (the records of one generator, from any number of files): how many were judged and
/// failed, each aspect's mean (unrounded) with its interval, the overall average (the mean of the aspect means), the
/// mean answer length in words, the breakdowns, and the judge's token usage where the records carry it.
/// </summary>
public sealed record SetSummary
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public required int Judged { get; init; }

    public required IReadOnlyList<JudgeFailure> Failures { get; init; }

    /// <summary>Records whose answer had no category (judged as regular).</summary>
    public required int Uncategorized { get; init; }

    /// <summary>Judged records without a task type, topic or difficulty, when tags were given (left out of those breakdowns).</summary>
    public required int Untagged { get; init; }

    public required IReadOnlyList<AspectMean> Aspects { get; init; }

    /// <summary>The mean of the aspect means; null when nothing was judged.</summary>
    public required double? Average { get; init; }

    /// <summary>Mean answer length in words (whitespace-separated, as Python's str.split counts them) over the judged records; null when none.</summary>
    public required double? Words { get; init; }

    public required IReadOnlyList<Breakdown> Breakdowns { get; init; }

    public required TokenUsage Usage { get; init; }

    public int Failed => Failures.Count;
}

/// <summary>The summary of every set in the files given, in the order each set first appears.</summary>
public sealed record JudgeSummary(IReadOnlyList<SetSummary> Sets, bool HasTags);
