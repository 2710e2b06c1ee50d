using AlignLab.Data;

namespace AlignLab.Tds;

/// <summary>Where an example's answer came from and how it ended.</summary>
public enum AnswerOrigin
{
    /// <summary>Greedy decoding that ended with an end-of-turn token.</summary>
    EndOfTurn,

    /// <summary>Greedy decoding cut at --max-new-tokens.</summary>
    MaxTokens,

    /// <summary>Greedy decoding cut by the aligned model's context.</summary>
    ContextFull,

    /// <summary>The record's own output (--use-outputs), teacher-forced.</summary>
    Output,
}

/// <summary>What became of one example: a <see cref="ExampleResult"/> or a <see cref="SkippedExample"/>.</summary>
public abstract record ExampleOutcome(InstructionRecord Record);

/// <summary>An analysed example: the record, its answer and every answer position.</summary>
public sealed record ExampleResult(InstructionRecord Record, string Answer, AnswerOrigin Origin, IReadOnlyList<PositionResult> Positions) : ExampleOutcome(Record);

/// <summary>An example left out of the analysis, and why (it does not fit a context, its answer is empty, ...).</summary>
public sealed record SkippedExample(InstructionRecord Record, string Reason) : ExampleOutcome(Record);
