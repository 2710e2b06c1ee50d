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
/// else through the server's /tokenize. Generation streams /v1/completions with the prompt's ids (no BOS
/// is added to ids) and reads the generated ids from the logprobs (vLLM's return_tokens_as_token_ids); a server
/// without /v1/completions gets the prompts <see cref="ChatPrompt"/> made as messages to /v1/chat/completions.
/// Teacher-forced scoring uses vLLM's prompt_logprobs (exact ranks), falling back to OpenAI's echo + logprobs;
/// a server with neither can generate but not be scored. No whole distributions: <see cref="HasFullDistribution"/>
/// is false and entropies are null. Thread-safe: runs that keep several requests in flight call it from several
/// threads at once (the HTTP layer bounds requests in flight to <see cref="RemoteModelOptions.Concurrency"/>).
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
    private readonly IReadOnlyList<int> _endOfTurn;
    private readonly HashSet<int> _learnedEndOfTurn = [];
    private readonly ChatPromptMemory _chats = new();
    private readonly RemoteChat _chat;
    private readonly SemaphoreSlim _templatedChat = new(1, 1);
    private volatile bool _completionsMissing;
    private volatile ScoringMethod _scoring;

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
        _chat = new RemoteChat(http, model, reference);
        _serverVocabSize = card["vocab_size"].IsNull ? null : card["vocab_size"].Int();
        _endOfTurn = [.. (card["eos_token_ids"].IsNull ? [] : card["eos_token_ids"].Items().Select(e => e.Int())).Concat(
            _tokenizer is LocalTokenizer local && tokenizerFiles is not null ? GenerationDefaults.EndOfGenerationIds(tokenizerFiles, local.Engine) : [])];
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

    /// <summary>
    /// The ids that end a turn: the local tokenizer model's end-of-generation ids when one was given, the server's
    /// eos_token_ids (alignlab serve), and every stop token the server has ended a generation with so far.
    /// </summary>
    public IReadOnlyList<int> EndOfTurnIds
    {
        get
        {
            lock (_learnedEndOfTurn)
            {
                return [.. _endOfTurn.Concat(_learnedEndOfTurn).Distinct().Order()];
            }
        }
    }

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
    {
        var ids = _template is null ? WithPrefix(_serverTokenizer.EncodeChat(user, system)) : EncodePrompt(RenderChat(user, system));
        _chats.Remember(ids, user, system);
        return ids;
    }

    public GreedyAnswer GenerateGreedy(IReadOnlyList<int> prompt, int maxNewTokens, CancellationToken cancel = default)
    {
        var answer = Generate(prompt, new AnswerRequest { MaxNewTokens = maxNewTokens }, cancel);
        return new GreedyAnswer(answer.Tokens, answer.End);
    }

    /// <summary>
    /// Streams /v1/completions with the request's sampling (temperature, top_p, top_k, min_p, repetition_penalty
    /// over the whole sequence, seed: the server's own sampler, so a seed reproduces only on the same server)
    /// until an end-of-turn token, the limit, the end of the context, or the stop rule (which sees each streamed
    /// piece of text; the stream is then closed, which stops the server's generation).
    /// </summary>
    public GeneratedAnswer Generate(IReadOnlyList<int> prompt, AnswerRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxNewTokens);
        var sampling = request.Sampling;
        sampling.Validate();
        if (sampling.RepetitionWindow != 0)
        {
            throw new NotSupportedException($"{Reference}: a server applies the repetition penalty to the whole sequence; a repetition window is not available");
        }
        var room = ContextLength - (long)prompt.Count;
        if (room <= 0)
        {
            return new GeneratedAnswer([], "", AnswerEnd.ContextFull);
        }
        var maxTokens = (int)Math.Min(request.MaxNewTokens, room);
        var (answer, stopToken) = _completionsMissing && _chats.Recall(prompt) is { } chat
            ? Stream("chat/completions", maxTokens, sampling, request.StopAfter, cancel, json => ChatMessages(json, chat.User, chat.System))
            : StreamCompletion(prompt, maxTokens, sampling, request.StopAfter, cancel);
        if (stopToken is int id)
        {
            lock (_learnedEndOfTurn)
            {
                _learnedEndOfTurn.Add(id);
            }
        }
        return answer.End == AnswerEnd.MaxTokens && maxTokens < request.MaxNewTokens ? answer with { End = AnswerEnd.ContextFull } : answer;
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
        _tokenizerFiles?.Dispose();
        _templatedChat.Dispose();
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

    /// <summary>
    /// Streams /v1/completions with the prompt's ids. A server without that endpoint (404; OpenAI's chat models)
    /// gets a prompt that <see cref="ChatPrompt"/> made as its messages through /v1/chat/completions instead, from
    /// then on; its answer is then the server's chat template's, not necessarily these ids'.
    /// </summary>
    private (GeneratedAnswer, int?) StreamCompletion(IReadOnlyList<int> prompt, int maxTokens, SamplingOptions sampling, Func<string, bool>? stopAfter, CancellationToken cancel)
    {
        try
        {
            return Stream("completions", maxTokens, sampling, stopAfter, cancel, json => JsonBody.Ids(json, "prompt", prompt));
        }
        catch (RemoteModelException e) when (e.Status == 404 && _chats.Recall(prompt) is { } chat)
        {
            _completionsMissing = true;
            return Stream("chat/completions", maxTokens, sampling, stopAfter, cancel, json => ChatMessages(json, chat.User, chat.System));
        }
    }

    /// <summary>One streamed generation from <paramref name="endpoint"/> (completions or chat/completions), with ids as "token_id:N".</summary>
    private (GeneratedAnswer, int?) Stream(string endpoint, int maxTokens, SamplingOptions sampling, Func<string, bool>? stopAfter, CancellationToken cancel, Action<Utf8JsonWriter> input)
    {
        var chat = endpoint.StartsWith("chat", StringComparison.Ordinal);
        var body = JsonBody.Write(json =>
        {
            json.WriteString("model", _model);
            input(json);
            json.WriteNumber("max_tokens", maxTokens);
            WriteSampling(json, sampling);
            if (chat)
            {
                json.WriteBoolean("logprobs", true);
            }
            else
            {
                json.WriteNumber("logprobs", 0);
            }
            json.WriteBoolean("return_tokens_as_token_ids", true);
            json.WriteBoolean("stream", true);
        });
        return GenerationReader.ReadAsync(_http.StreamAsync(new Uri(_http.ApiBase, endpoint), body, cancel), Reference, _tokenizer, stopAfter)
            .GetAwaiter().GetResult();
    }

    private static void ChatMessages(Utf8JsonWriter json, string user, string? system)
    {
        json.WriteStartArray("messages");
        if (system is not null)
        {
            json.WriteStartObject();
            json.WriteString("role", "system");
            json.WriteString("content", system);
            json.WriteEndObject();
        }
        json.WriteStartObject();
        json.WriteString("role", "user");
        json.WriteString("content", user);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    /// <summary>The sampling fields as OpenAI and vLLM name them; the ones left at their neutral value are not sent.</summary>
    private static void WriteSampling(Utf8JsonWriter json, SamplingOptions sampling)
    {
        json.WriteNumber("temperature", sampling.IsGreedy ? 0 : sampling.Temperature);
        if (sampling.RepetitionPenalty != 1)
        {
            json.WriteNumber("repetition_penalty", sampling.RepetitionPenalty);
        }
        if (sampling.IsGreedy)
        {
            return;
        }
        json.WriteNumber("top_p", sampling.TopP);
        if (sampling.TopK > 0)
        {
            json.WriteNumber("top_k", sampling.TopK);
        }
        if (sampling.MinP > 0)
        {
            json.WriteNumber("min_p", sampling.MinP);
        }
        json.WriteNumber("seed", unchecked((long)sampling.Seed));
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
