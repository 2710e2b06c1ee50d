namespace AlignLab.AnswerSets;

/// <summary>What a run (or a resumed run) of an answer set did.</summary>
/// <param name="Instructions">The instructions selected (shard and limit applied).</param>
/// <param name="AlreadyAnswered">Answered by an earlier, interrupted run and left as they were.</param>
/// <param name="Answered">Answered by this run.</param>
/// <param name="Skipped">Not answered: the prompt leaves no room for the answer in the model's context.</param>
public sealed record AnswerSetSummary(int Instructions, int AlreadyAnswered, int Answered, IReadOnlyList<SkippedInstruction> Skipped);
