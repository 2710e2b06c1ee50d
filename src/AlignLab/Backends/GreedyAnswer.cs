namespace AlignLab.Backends;

/// <summary>Why generation stopped.</summary>
public enum AnswerEnd
{
    /// <summary>The model chose an end-of-turn token (not part of <see cref="GreedyAnswer.Tokens"/>).</summary>
    EndOfTurn,

    /// <summary>The token limit was reached.</summary>
    MaxTokens,

    /// <summary>The model's context is full.</summary>
    ContextFull,

    /// <summary>The caller's stop rule (<see cref="AnswerRequest.StopAfter"/>) ended the answer.</summary>
    Stopped,
}

/// <summary>A greedy answer: its ids (without the end-of-turn token) and why it ended.</summary>
public sealed record GreedyAnswer(IReadOnlyList<int> Tokens, AnswerEnd End);
