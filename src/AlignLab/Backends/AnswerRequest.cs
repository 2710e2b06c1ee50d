using AlignLab.Engine.Generation;

namespace AlignLab.Backends;

/// <summary>How <see cref="ILanguageModel.Generate"/> produces an answer.</summary>
public sealed record AnswerRequest
{
    /// <summary>Most tokens to generate, an end-of-turn token included. Default 512.</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>How each token is chosen (temperature, top-p, repetition penalty, seed). Default greedy.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>
    /// Sees the text each generated token releases, in order (whole UTF-8 characters; the pieces concatenate to
    /// the answer's text); returning true ends the answer after that token. Null: no stop rule of the caller's.
    /// </summary>
    public Func<string, bool>? StopAfter { get; init; }
}

/// <summary>A generated answer: its ids (without an end-of-turn token), its text, and why it ended.</summary>
public sealed record GeneratedAnswer(IReadOnlyList<int> Tokens, string Text, AnswerEnd End);
