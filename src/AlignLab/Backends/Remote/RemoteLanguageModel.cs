using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Hub;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;

namespace AlignLab.Backends.Remote;

/// <summary>
/// A model behind an OpenAI-compatible server (vLLM, alignlab serve), named <c>http(s)://HOST:PORT/v1#MODEL</c>.
/// Tokenization goes through a local tokenizer when one is given (<see cref="RemoteModelOptions.Tokenizer"/>),
/// else through the server's /tokenize. Greedy generation streams /v1/completions with the prompt's ids (no BOS
/// is added to ids) and reads the generated ids from the logprobs (vLLM's return_tokens_as_token_ids).
/// Teacher-forced scoring uses vLLM's prompt_logprobs (exact ranks), falling back to OpenAI's echo + logprobs;
/// a server with neither can generate but not be scored. No whole distributions: <see cref="HasFullDistribution"/>
/// is false and entropies are null. Chat completions go to /v1/chat/completions (<see cref="RemoteChat"/>).
/// Not thread-safe, except <see cref="CompleteChatAsync"/> (the HTTP layer bounds requests in flight).
/// </summary>
public sealed class RemoteLanguageModel : ILanguageModel
{
    private readonly OpenAiHttp _http;
    private readonly string _model;
    private readonly IModelTokenizer _tokenizer;
    private readonly RemoteTokenizer _serverTokenizer;
    private readonly LocalModel? _tokenizerFiles;
    private readonly ChatTemplate? _template;
    private readonly Lazy<IReadOnlyList<int>> _specialPrefix;
    private readonly int? _serverVocabSize;
    private readonly Lazy<IReadOnlyList<int>> _endOfTurnIds;
    private readonly RemoteChat _chat;
    private readonly SemaphoreSlim _templatedChat = new(1, 1);
    private ScoringMethod _scoring;

    private RemoteLanguageModel(string reference, OpenAiHttp http, string model, ResponseJson card, LocalModel? tokenizerFiles, ChatTemplate? template)
    {
        Reference = reference;
        _http = http;
        _model = model;
        _tokenizerFiles = tokenizerFiles;
        _template = template;
        _serverTokenizer = new RemoteTokenizer(http, model, reference);
        _tokenizer = tokenizerFiles is null ? _serverTokenizer : new LocalTokenizer(tokenizerFiles.LoadTokenizer());
        _specialPrefix = new(() => _tokenizer is LocalTokenizer local
            ? Prompts.Plain(local.Engine, "")
            : _serverTokenizer.SpecialPrefix());
        _endOfTurnIds = new(() => _tokenizer is LocalTokenizer local && tokenizerFiles is not null && TryReadConfig(tokenizerFiles) is not null
            ? GenerationDefaults.EndOfGenerationIds(tokenizerFiles, local.Engine)
            : []);
        _chat = new RemoteChat(http, model, reference);
        _serverVocabSize = card["vocab_size"].IsNull ? null : card["vocab_size"].Int();
        ContextLength = !card["max_model_len"].IsNull ? card["max_model_len"].Int()
            : tokenizerFiles is not null && TryReadConfig(tokenizerFiles) is { } config ? config.ContextLength
            : int.MaxValue;
    }

    /// <summary>How scoring works on this server, found on the first <see cref="Score"/>.</summary>
    private enum ScoringMethod
    {
        Unknown,
        PromptLogprobs,
        Echo,
    }

    public string Reference { get; }

    public string? LocalPath => null;

    public IModelTokenizer Tokenizer => _tokenizer;

    /// <summary>The server's vocab_size (alignlab serve), else the local tokenizer's model config, else the tokenizer's size.</summary>
    public int VocabSize => _serverVocabSize
        ?? (_tokenizerFiles is not null && TryReadConfig(_tokenizerFiles) is { } config ? config.VocabSize : _tokenizer.VocabSize);

    /// <summary>The server's max_model_len; else the local tokenizer's model config; else unbounded (the server refuses what does not fit).</summary>
    public int ContextLength { get; }

    public bool HasFullDistribution => false;

    /// <summary>The local tokenizer's end-of-generation ids (<see cref="RemoteModelOptions.Tokenizer"/>); empty without one: a server does not say which ids end its turns.</summary>
    public IReadOnlyList<int> EndOfTurnIds => _endOfTurnIds.Value;

    /// <summary>
    /// Connects to <paramref name="reference"/> (<c>http(s)://HOST:PORT/v1#MODEL</c>) and checks that the server
    /// serves MODEL (GET /v1/models). <paramref name="chatTemplatePath"/>: a Jinja template rendered here instead of
    /// the server's (or the local tokenizer's) template.
    /// </summary>
    public static RemoteLanguageModel Open(string reference, RemoteModelOptions? options = null, string? chatTemplatePath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        options ??= new RemoteModelOptions();
        options.Validate();
        var endpoint = ModelReference.Resolve(reference);
        if (endpoint.Kind != ModelReferenceKind.Endpoint)
        {
            throw new ArgumentException($"model \"{reference}\" is not an http(s)://HOST:PORT/v1#MODEL reference", nameof(reference));
        }
        var http = new OpenAiHttp(endpoint.EndpointBase!, options);
        LocalModel? files = null;
        try
        {
            var card = FindModel(http, endpoint.EndpointModel!, reference);
            files = options.Tokenizer is { } tokenizer ? LocalModel.Open(tokenizer) : null;
            var template = chatTemplatePath is not null ? ChatTemplate.ReadFile(chatTemplatePath)
                : files is { HasChatTemplate: true } ? files.LoadChatTemplate()
                : null;
            return new RemoteLanguageModel(reference, http, endpoint.EndpointModel!, card, files, template);
        }
        catch
        {
            files?.Dispose();
            http.Dispose();
            throw;
        }
    }

    public string RenderChat(string user, string? system)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _template is null
            ? _serverTokenizer.RenderChat(user, system)
            : Prompts.RenderChat(_template, user, system, _tokenizerFiles?.BosToken, _tokenizerFiles?.EosToken);
    }

    public IReadOnlyList<int> EncodePrompt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WithPrefix(_tokenizer.Encode(text, parseSpecial: true));
    }

    public IReadOnlyList<int> ChatPrompt(string user, string? system)
        => _template is null ? WithPrefix(_serverTokenizer.EncodeChat(user, system)) : EncodePrompt(RenderChat(user, system));

    public GreedyAnswer GenerateGreedy(IReadOnlyList<int> prompt, int maxNewTokens, CancellationToken cancel = default)
    {
        var answer = Generate(prompt, new AnswerRequest { MaxNewTokens = maxNewTokens }, cancel);
        return new GreedyAnswer(answer.Tokens, answer.End);
    }

    public GeneratedAnswer Generate(IReadOnlyList<int> prompt, AnswerRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxNewTokens);
        var room = ContextLength - (long)prompt.Count;
        if (room <= 0)
        {
            return new GeneratedAnswer([], "", AnswerEnd.ContextFull);
        }
        var maxTokens = (int)Math.Min(request.MaxNewTokens, room);
        var body = JsonBody.Write(json =>
        {
            json.WriteString("model", _model);
            JsonBody.Ids(json, "prompt", prompt);
            json.WriteNumber("max_tokens", maxTokens);
            JsonBody.Sampling(json, request.Sampling);
            json.WriteNumber("logprobs", 0);
            json.WriteBoolean("return_tokens_as_token_ids", true);
            json.WriteBoolean("stream", true);
        });
        var answer = GenerationReader.ReadAsync(_http.StreamAsync(new Uri(_http.ApiBase, "completions"), body, cancel), Reference, _tokenizer, request.StopAfter)
            .GetAwaiter().GetResult();
        var end = answer.End == AnswerEnd.MaxTokens && maxTokens < request.MaxNewTokens ? AnswerEnd.ContextFull : answer.End;
        return new GeneratedAnswer(answer.Tokens, answer.Text, end);
    }

    /// <summary>
    /// Through the server's /v1/chat/completions and its chat template; with a chat template given to this client,
    /// the conversation is rendered here instead and generated from its ids (one such request at a time).
    /// </summary>
    public async Task<ChatCompletion> CompleteChatAsync(IReadOnlyList<ChatTurn> turns, ChatCompletionRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (_template is null)
        {
            return await _chat.CompleteAsync(turns, request, cancel).ConfigureAwait(false);
        }
        await _templatedChat.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var prompt = EncodePrompt(Prompts.RenderChat(_template, turns, _tokenizerFiles?.BosToken, _tokenizerFiles?.EosToken));
                var answer = Generate(prompt, new AnswerRequest { MaxNewTokens = request.MaxNewTokens }, cancel);
                return new ChatCompletion(answer.Text, answer.End, prompt.Count, answer.Tokens.Count + (answer.End == AnswerEnd.EndOfTurn ? 1 : 0));
            }, cancel).ConfigureAwait(false);
        }
        finally
        {
            _templatedChat.Release();
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
        if (request.NeedsFullDistribution)
        {
            throw new NotSupportedException($"{Reference}: a model behind a server gives no full next-token distributions");
        }
        if (tokens.Count > ContextLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{tokens.Count} tokens exceed the context length of {ContextLength} of {Reference}"), nameof(tokens));
        }
        switch (_scoring)
        {
            case ScoringMethod.PromptLogprobs:
                return ScoreWithPromptLogprobs(tokens, start, request.TopK);
            case ScoringMethod.Echo:
                return ScoreWithEcho(tokens, start, request.TopK);
        }
        RemoteModelException promptLogprobsError;
        try
        {
            var scores = ScoreWithPromptLogprobs(tokens, start, request.TopK);
            _scoring = ScoringMethod.PromptLogprobs;
            return scores;
        }
        catch (RemoteModelException e) when (e.Status is null or (>= 400 and < 500))
        {
            promptLogprobsError = e;
        }
        try
        {
            var scores = ScoreWithEcho(tokens, start, request.TopK);
            _scoring = ScoringMethod.Echo;
            return scores;
        }
        catch (RemoteModelException e) when (e.Status is null or (>= 400 and < 500))
        {
            throw new RemoteModelException(
                $"{Reference}: the server can generate but not be scored: it gives neither vLLM's prompt_logprobs ({promptLogprobsError.Message}) nor echo logprobs ({e.Message})", e);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _templatedChat.Dispose();
        _tokenizerFiles?.Dispose();
    }

    public override string ToString() => Reference;

    private RemoteTokenScores ScoreWithPromptLogprobs(IReadOnlyList<int> tokens, int start, int topK)
        => ScoreReader.FromPromptLogprobs(CompleteOne(tokens, json => json.WriteNumber("prompt_logprobs", topK))["prompt_logprobs"], tokens, start, topK);

    private RemoteTokenScores ScoreWithEcho(IReadOnlyList<int> tokens, int start, int topK)
    {
        var choice = CompleteOne(tokens, json =>
        {
            json.WriteBoolean("echo", true);
            json.WriteNumber("logprobs", topK);
        });
        return ScoreReader.FromEcho(choice["logprobs"], tokens, start, topK, SingleTokenId);
    }

    /// <summary>A one-token greedy completion of <paramref name="tokens"/> with extra fields; its first choice.</summary>
    private ResponseJson CompleteOne(IReadOnlyList<int> tokens, Action<Utf8JsonWriter> extra)
    {
        var body = JsonBody.Write(json =>
        {
            json.WriteString("model", _model);
            JsonBody.Ids(json, "prompt", tokens);
            json.WriteNumber("max_tokens", 1);
            json.WriteNumber("temperature", 0);
            json.WriteBoolean("return_tokens_as_token_ids", true);
            extra(json);
        });
        var answer = _http.PostAsync(new Uri(_http.ApiBase, "completions"), body, default).GetAwaiter().GetResult();
        var choices = answer["choices"];
        return choices.Length > 0 ? choices[0] : throw choices.Invalid("at least one choice");
    }

    /// <summary>The id a top-list label names when it is one token's text (for servers that label tokens by text only).</summary>
    private int? SingleTokenId(string label)
    {
        var ids = _tokenizer.Encode(label, parseSpecial: false);
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>The tokenizer's special prefix (BOS) first, unless the ids already start with it: the engine's rule for prompts.</summary>
    private IReadOnlyList<int> WithPrefix(IReadOnlyList<int> ids)
    {
        var prefix = _specialPrefix.Value;
        return prefix.Count == 0 || ids.Take(prefix.Count).SequenceEqual(prefix) ? ids : [.. prefix, .. ids];
    }

    private static ModelConfig? TryReadConfig(LocalModel files)
    {
        try
        {
            return files.ReadConfig();
        }
        catch (Engine.Formats.ModelFormatException)
        {
            return null; // a tokenizer-only folder
        }
    }

    /// <summary>The card of <paramref name="model"/> in GET /v1/models; a clear error listing what the server has when it is not there.</summary>
    private static ResponseJson FindModel(OpenAiHttp http, string model, string reference)
    {
        var list = http.GetAsync(new Uri(http.ApiBase, "models"), default).GetAwaiter().GetResult()["data"];
        var names = new List<string>();
        foreach (var card in list.Items())
        {
            var id = card["id"].String();
            if (id == model)
            {
                return card;
            }
            names.Add(id);
        }
        throw new RemoteModelException($"{reference}: the server has no model \"{model}\"; it serves: {(names.Count == 0 ? "nothing" : string.Join(", ", names))}");
    }
}
