using System.Globalization;
using System.Text;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;

namespace AlignLab.Backends;

/// <summary>
/// A model whose files are on this machine (GGUF file, Hugging Face folder, cached hub id), run by the
/// engine: <see cref="LocalModel"/> for files, tokenizer and chat template, <see cref="TextGenerator"/> for
/// greedy decoding, <see cref="InferenceSession.Score"/> for one-pass teacher-forced scoring with whole
/// distributions. Scoring reuses one session, grown when a longer sequence comes.
/// </summary>
public sealed class LocalLanguageModel : ILanguageModel
{
    /// <summary>Smallest scoring session: at least the engine's batch, so every sequence is cut into the same batches whatever ran before.</summary>
    private const int MinScoreContext = 256;

    private readonly LocalModel _files;
    private readonly LlamaModel _model;
    private readonly LocalTokenizer _tokenizer;
    private readonly Lazy<ChatTemplate> _template;
    private readonly TextGenerator _generator;
    private readonly SessionOptions _sessionOptions;
    private readonly SemaphoreSlim _chatTurn = new(1, 1);
    private InferenceSession? _scoreSession;

    private LocalLanguageModel(string reference, LocalModel files, LlamaModel model, LocalModelOptions options)
    {
        Reference = reference;
        _files = files;
        _model = model;
        var tokenizer = files.LoadTokenizer();
        _tokenizer = new LocalTokenizer(tokenizer);
        _template = new(() => options.ChatTemplatePath is { } path ? ChatTemplate.ReadFile(path) : files.LoadChatTemplate());
        _sessionOptions = new SessionOptions { Threads = options.Threads, QuantizeDecodeActivations = !options.DecodeLikeScoring };
        _generator = new TextGenerator(model, tokenizer, GenerationDefaults.EndOfGenerationIds(files, tokenizer), _sessionOptions);
    }

    public string Reference { get; }

    public string? LocalPath => _files.Path;

    public IModelTokenizer Tokenizer => _tokenizer;

    public int VocabSize => _model.VocabSize;

    public int ContextLength => _model.Config.ContextLength;

    /// <summary>Transformer layers: the hidden states of layers 0 (embeddings) to this can be read.</summary>
    public int LayerCount => _model.Config.LayerCount;

    public bool HasFullDistribution => true;

    /// <summary>The ids that end a greedy answer.</summary>
    public IReadOnlyList<int> EndOfTurnIds => _generator.EndOfGenerationIds;

    /// <summary>Opens <paramref name="reference"/> (see <see cref="LocalModel.Open(string)"/>) and its weights and tokenizer.</summary>
    public static LocalLanguageModel Open(string reference, LocalModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        options ??= new LocalModelOptions();
        var files = LocalModel.Open(reference);
        LlamaModel? model = null;
        try
        {
            model = LlamaModel.Load(files);
            return new LocalLanguageModel(reference, files, model, options);
        }
        catch
        {
            model?.Dispose();
            files.Dispose();
            throw;
        }
    }

    public string RenderChat(string user, string? system) => Prompts.RenderChat(_files, user, system, _template.Value);

    public IReadOnlyList<int> EncodePrompt(string text) => Prompts.Plain(_tokenizer.Engine, text);

    public IReadOnlyList<int> ChatPrompt(string user, string? system) => Prompts.Chat(_files, _tokenizer.Engine, user, system, _template.Value);

    public GreedyAnswer GenerateGreedy(IReadOnlyList<int> prompt, int maxNewTokens, CancellationToken cancel = default)
    {
        var answer = Generate(prompt, new AnswerRequest { MaxNewTokens = maxNewTokens }, cancel);
        return new GreedyAnswer(answer.Tokens, answer.End);
    }

    public GeneratedAnswer Generate(IReadOnlyList<int> prompt, AnswerRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generation = _generator.Start(prompt, new GenerationOptions { MaxTokens = request.MaxNewTokens, Sampling = request.Sampling, TopLogProbs = 0 });
        var tokens = new List<int>();
        var text = new StringBuilder();
        var end = AnswerEnd.MaxTokens;
        foreach (var token in generation)
        {
            cancel.ThrowIfCancellationRequested();
            // A stop token adds no text of its own, but releases what the decoder still held; the stop rule sees that too.
            var stopToken = token.EndReason == GenerationEndReason.StopToken;
            if (!stopToken)
            {
                tokens.Add(token.Id);
            }
            text.Append(token.Text);
            if (request.StopAfter?.Invoke(token.Text) == true)
            {
                end = AnswerEnd.Stopped;
                break;
            }
            if (stopToken)
            {
                end = AnswerEnd.EndOfTurn;
                break;
            }
            if (token.EndReason == GenerationEndReason.ContextFull)
            {
                end = AnswerEnd.ContextFull;
            }
        }
        return new GeneratedAnswer(tokens, text.ToString(), end);
    }

    public async Task<ChatCompletion> CompleteChatAsync(IReadOnlyList<ChatTurn> turns, ChatCompletionRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        await _chatTurn.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var text = Prompts.RenderChat(_template.Value, turns, _files.BosToken, _files.EosToken);
            var prompt = EncodePrompt(text);
            if (prompt.Count >= ContextLength)
            {
                return new ChatCompletion("", AnswerEnd.ContextFull, prompt.Count, 0);
            }
            // Generation is synchronous; running it on the pool keeps the caller's thread free while it waits its turn.
            var answer = await Task.Run(() => Generate(prompt, new AnswerRequest { MaxNewTokens = request.MaxNewTokens }, cancel), cancel).ConfigureAwait(false);
            var completionTokens = answer.Tokens.Count + (answer.End == AnswerEnd.EndOfTurn ? 1 : 0);
            return new ChatCompletion(answer.Text, answer.End, prompt.Count, completionTokens);
        }
        finally
        {
            _chatTurn.Release();
        }
    }

    public ITokenScores Score(IReadOnlyList<int> tokens, int start, ScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(request);
        if (start < 0 || start >= tokens.Count - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(start), string.Create(CultureInfo.InvariantCulture,
                $"the first scored position {start} must have a next token among the {tokens.Count} tokens"));
        }
        var session = ScoreSessionFor(tokens.Count);
        var options = new ScoreOptions { TopK = request.TopK, KeepLogProbs = request.KeepFullLogProbs, OnLogProbs = request.OnFullLogProbs };
        return new LocalTokenScores(session.Score([.. tokens], start, options));
    }

    /// <summary>The hidden state of <paramref name="tokens"/> after <paramref name="layer"/> layers, pooled (see <see cref="InferenceSession.PooledHiddenState"/>).</summary>
    public float[] HiddenState(IReadOnlyList<int> tokens, int layer, HiddenPooling pooling)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return ScoreSessionFor(tokens.Count).PooledHiddenState([.. tokens], layer, pooling);
    }

    /// <summary>The hidden states of <paramref name="tokens"/> after <paramref name="layer"/> layers at every position: row p (of <see cref="HiddenSize"/>) for token p (see <see cref="InferenceSession.HiddenStates"/>).</summary>
    public float[] HiddenStates(IReadOnlyList<int> tokens, int layer)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return ScoreSessionFor(tokens.Count).HiddenStates([.. tokens], layer);
    }

    /// <summary>Width of a hidden state.</summary>
    public int HiddenSize => _model.Config.HiddenSize;

    /// <summary>Whether <paramref name="id"/> is a special token (BOS, EOS, a chat marker) rather than text.</summary>
    public bool IsSpecialToken(int id) => _tokenizer.Engine.IsSpecial(id) || id == _tokenizer.Engine.BosId;

    public void Dispose()
    {
        _scoreSession?.Dispose();
        _chatTurn.Dispose();
        _generator.Dispose();
        _model.Dispose();
        _files.Dispose();
    }

    public override string ToString() => Reference;

    /// <summary>The scoring session, recreated (twice as large) when <paramref name="length"/> tokens do not fit.</summary>
    private InferenceSession ScoreSessionFor(int length)
    {
        if (length > ContextLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{length} tokens exceed the context length of {ContextLength} of {Reference}"), nameof(length));
        }
        if (_scoreSession is null || _scoreSession.ContextSize < length)
        {
            _scoreSession?.Dispose();
            _scoreSession = null;
            var size = (int)Math.Min(ContextLength, Math.Max(MinScoreContext, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length)));
            _scoreSession = _model.CreateSession(_sessionOptions with { ContextSize = size });
        }
        return _scoreSession;
    }
}
