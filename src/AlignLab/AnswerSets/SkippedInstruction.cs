using AlignLab.Data;

namespace AlignLab.AnswerSets;

/// <summary>An instruction a run did not answer, and why.</summary>
public sealed record SkippedInstruction(RecordId Id, string Reason);
