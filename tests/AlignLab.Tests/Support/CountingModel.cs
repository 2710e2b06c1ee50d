using AlignLab.Backends;
using AlignLab.Engine.Templates;

namespace AlignLab.Tests.Support;

/// <summary>
/// A model that counts the forward passes asked of it at the backend seam and keeps the scored sequences;
/// <paramref name="alterAnswer"/> may change a greedy answer (given the call's 0-based number).
/// </summary>
internal sealed class CountingModel(ILanguageModel inner, Func<int, GreedyAnswer, GreedyAnswer>? alterAnswer = null) : ILanguageModel
{
    public List<IReadOnlyList<int>> Scored { get; } = [];

    public List<int> ScoreStarts { get; } = [];

    private int _generations;

    public int Generations => _generations;

    public string Reference => inner.Reference;

    public string? LocalPath => inner.LocalPath;

    public IModelTokenizer Tokenizer => inner.Tokenizer;

    public int VocabSize => inner.VocabSize;

    public int ContextLength => inner.ContextLength;

    public bool HasFullDistribution => inner.HasFullDistribution;

    public IReadOnlyList<int> EndOfTurnIds => inner.EndOfTurnIds;

    public string RenderChat(string user, string? system) => inner.RenderChat(user, system);

    public IReadOnlyList<int> EncodePrompt(string text) => inner.EncodePrompt(text);

    public IReadOnlyList<int> ChatPrompt(string user, string? system) => inner.ChatPrompt(user, system);

    public GreedyAnswer GenerateGreedy(IReadOnlyList<int> prompt, int maxNewTokens, CancellationToken cancel = default)
    {
        var answer = inner.GenerateGreedy(prompt, maxNewTokens, cancel);
        var call = _generations++;
        return alterAnswer is null ? answer : alterAnswer(call, answer);
    }

    public GeneratedAnswer Generate(IReadOnlyList<int> prompt, AnswerRequest request, CancellationToken cancel = default)
        => inner.Generate(prompt, request, cancel);

    public Task<ChatCompletion> CompleteChatAsync(IReadOnlyList<ChatTurn> turns, ChatCompletionRequest request, CancellationToken cancel = default)
        => inner.CompleteChatAsync(turns, request, cancel);

    public ITokenScores Score(IReadOnlyList<int> tokens, int start, ScoreRequest request)
    {
        Scored.Add([.. tokens]);
        ScoreStarts.Add(start);
        return inner.Score(tokens, start, request);
    }

    public void Dispose() => inner.Dispose();
}
