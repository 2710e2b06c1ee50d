using AlignLab.Engine.Templates;

namespace AlignLab.Backends;

/// <summary>
/// A language model as the research code uses it, wherever it runs: tokenizer, chat formatting, greedy
/// generation and teacher-forced scoring. <see cref="LocalLanguageModel"/> runs model files with the
/// engine; a remote model (an OpenAI-compatible server) implements the same contract with what its API
/// gives — no full-vocabulary distributions (<see cref="HasFullDistribution"/> false), so statistics that
/// need them (exact KL) are left out. Not thread-safe, except <see cref="CompleteChatAsync"/>.
/// </summary>
public interface ILanguageModel : IDisposable
{
    /// <summary>The model reference as the user gave it.</summary>
    string Reference { get; }

    /// <summary>The GGUF file or folder the reference resolved to; null for a remote model.</summary>
    string? LocalPath { get; }

    IModelTokenizer Tokenizer { get; }

    /// <summary>Length of a next-token distribution: the model's output vocabulary (may exceed the tokenizer's).</summary>
    int VocabSize { get; }

    /// <summary>Most tokens a sequence (prompt and answer) may have.</summary>
    int ContextLength { get; }

    /// <summary>Whether <see cref="Score"/> can give whole next-token distributions (<see cref="ScoreRequest.KeepFullLogProbs"/>, <see cref="ScoreRequest.OnFullLogProbs"/>).</summary>
    bool HasFullDistribution { get; }

    /// <summary>The ids that end a turn (and greedy decoding).</summary>
    IReadOnlyList<int> EndOfTurnIds { get; }

    /// <summary>
    /// The text of a one-turn chat: an optional system message and the user message rendered by the model's
    /// chat template (or the template the model was opened with), generation prompt added.
    /// </summary>
    string RenderChat(string user, string? system);

    /// <summary>
    /// Prompt text to ids: special tokens written in the text are parsed, and BOS goes first when the
    /// model's tokenizer adds one and the text does not already start with it.
    /// </summary>
    IReadOnlyList<int> EncodePrompt(string text);

    /// <summary>The ids of <see cref="RenderChat"/>'s text, as <see cref="EncodePrompt"/> makes them.</summary>
    IReadOnlyList<int> ChatPrompt(string user, string? system);

    /// <summary>
    /// Greedy decoding after <paramref name="prompt"/> until an end-of-turn token, <paramref name="maxNewTokens"/>
    /// tokens (the end-of-turn token counted) or the end of the context.
    /// </summary>
    GreedyAnswer GenerateGreedy(IReadOnlyList<int> prompt, int maxNewTokens, CancellationToken cancel = default);

    /// <summary>
    /// Generates after <paramref name="prompt"/> as <paramref name="request"/> says (sampling, token limit, a stop
    /// rule of the caller's) until an end-of-turn token, the limit, the end of the context or the stop rule.
    /// </summary>
    GeneratedAnswer Generate(IReadOnlyList<int> prompt, AnswerRequest request, CancellationToken cancel = default);

    /// <summary>
    /// Answers a conversation as its assistant, greedily: the model's chat template (a served model's server, or the
    /// template the model was opened with) renders <paramref name="turns"/> with the generation prompt, and the answer
    /// runs to an end-of-turn token, <see cref="ChatCompletionRequest.MaxNewTokens"/> or the end of the context (a
    /// conversation that leaves no room gets an empty answer that ended <see cref="AnswerEnd.ContextFull"/>). Safe to
    /// call concurrently: a served model takes several requests at once (up to its client's concurrency), a local one
    /// answers them in turn.
    /// </summary>
    Task<ChatCompletion> CompleteChatAsync(IReadOnlyList<ChatTurn> turns, ChatCompletionRequest request, CancellationToken cancel = default);

    /// <summary>
    /// Teacher-forced scoring of <paramref name="tokens"/> in one forward pass: for every position p from
    /// <paramref name="start"/> to tokens.Count − 2, the distribution of tokens[p + 1] after tokens[0..p].
    /// </summary>
    ITokenScores Score(IReadOnlyList<int> tokens, int start, ScoreRequest request);
}
