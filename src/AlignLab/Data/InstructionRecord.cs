namespace AlignLab.Data;

/// <summary>
/// One instruction of an instruction set (Just-Eval format or a plain <c>{"instruction": ...}</c> line).
/// <see cref="Index"/> is the record's 0-based place among the file's records, bad ones included, so it
/// stays the same whatever is skipped; runs use it to slice shards deterministically.
/// </summary>
public sealed record InstructionRecord
{
    public required RecordId Id { get; init; }

    public required string Instruction { get; init; }

    /// <summary>0-based position among the file's records.</summary>
    public required int Index { get; init; }

    /// <summary>1-based line where the record starts.</summary>
    public required long Line { get; init; }

    /// <summary>"regular", "safety", ... when given.</summary>
    public string? Category { get; init; }

    public string? Dataset { get; init; }

    public string? SourceId { get; init; }

    /// <summary>A published answer to the instruction, when the file carries one.</summary>
    public string? Output { get; init; }

    /// <summary>Labelled stretches of <see cref="Output"/> (<see cref="AnswerSpans"/>), when the file carries them.</summary>
    public IReadOnlyList<AnswerSpan>? Spans { get; init; }

    /// <summary>The model that wrote <see cref="Output"/>.</summary>
    public string? Generator { get; init; }

    /// <summary>Joined from a tags file; null when the file has none for this id.</summary>
    public InstructionTags? Tags { get; init; }
}
