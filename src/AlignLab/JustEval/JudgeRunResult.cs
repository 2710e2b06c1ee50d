using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>An answer that could not be judged, and why.</summary>
public sealed record JudgeFailure(RecordId Id, string Reason);

/// <summary>What a judge run did: how many answers it had, took from the cache, judged now, could not judge or left pending, and what its requests used.</summary>
public sealed record JudgeRunResult
{
    public required int Answers { get; init; }

    public required int Cached { get; init; }

    public required int Judged { get; init; }

    public required IReadOnlyList<JudgeFailure> Failures { get; init; }

    public required int Pending { get; init; }

    /// <summary>This run's requests and tokens (cached judgments cost nothing).</summary>
    public required TokenUsage Usage { get; init; }
}
