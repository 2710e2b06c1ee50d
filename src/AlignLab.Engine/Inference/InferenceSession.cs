using System.Globalization;

namespace AlignLab.Engine.Inference;

/// <summary>
/// One sequence being run through a <see cref="LlamaModel"/>: its KV cache, activations and kernel
/// threads, allocated once when the session is created, so running tokens allocates nothing.
/// <see cref="Prefill"/> and <see cref="Step"/> extend the sequence for generation; <see cref="Score"/>
/// scores a whole sequence in one pass. Not thread-safe; dispose it to stop its threads.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private const int DefaultMaxContext = 4096;

    private readonly LlamaModel _model;
    private readonly RunState _state;
    private readonly KvCache _cache;

    internal InferenceSession(LlamaModel model, SessionOptions options)
    {
        _model = model;
        var c = model.Config;
        var context = ContextOf(c, options);
        options.ValidateSizes();
        var batch = Math.Min(options.BatchSize, context);
        _cache = new KvCache(c, context, options.KvCacheType);
        _state = new RunState(model, batch, context, Math.Min(options.LogitBatchSize, batch), options.Threads, options.QuantizeDecodeActivations);
    }

    public LlamaModel Model => _model;

    /// <summary>The context a session with <paramref name="options"/> gets, checked against the model's.</summary>
    internal static int ContextOf(Models.ModelConfig c, SessionOptions options)
    {
        var context = options.ContextSize ?? Math.Min(c.ContextLength, DefaultMaxContext);
        if (context <= 0 || context > c.ContextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"context size {context} is not within 1 to the model's context length {c.ContextLength}"));
        }
        return context;
    }

    /// <summary>Threads a batch of tokens (prefill, scoring) runs on, the calling thread included.</summary>
    public int BatchThreads => _state.BatchThreads;

    /// <summary>Threads one decode step runs on, the calling thread included.</summary>
    public int DecodeThreads => _state.DecodeThreads;

    /// <summary>Tokens in the cache: the position the next token will take.</summary>
    public int Position { get; private set; }

    public int ContextSize => _cache.ContextSize;

    public KvCacheType KvCacheType => _cache.Type;

    /// <summary>Forgets the sequence (the buffers are kept).</summary>
    public void Reset() => Position = 0;

    /// <summary>Stops the kernel threads; the session cannot run afterwards.</summary>
    public void Dispose() => _state.Dispose();

    /// <summary>
    /// Appends <paramref name="tokens"/> to the sequence and returns the logits [vocab] that follow the
    /// last of them. The span is valid until the session is next used.
    /// </summary>
    public ReadOnlySpan<float> Prefill(scoped ReadOnlySpan<int> tokens)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("no tokens to run", nameof(tokens));
        }
        Validate(tokens, Position);
        var batch = _state.BatchSize;
        for (var first = 0; first < tokens.Length; first += batch)
        {
            var n = Math.Min(batch, tokens.Length - first);
            Transformer.Layers(_model, _state, _cache, tokens.Slice(first, n), Position);
            Position += n;
            if (first + n == tokens.Length)
            {
                Transformer.Logits(_model, _state, n - 1, 1);
            }
        }
        return _state.Logits.AsSpan(0, _model.VocabSize);
    }

    /// <summary>Appends one token (a generated one) and returns the logits that follow it.</summary>
    public ReadOnlySpan<float> Step(int token) => Prefill([token]);

    /// <summary>
    /// Scores <paramref name="tokens"/> from an empty cache in one forward pass. For each position
    /// p ≥ <paramref name="start"/>: the top-k next tokens, the log-probability and rank of
    /// tokens[p + 1], the entropy, and optionally the full log-probability row.
    /// </summary>
    public ScoreResult Score(ReadOnlySpan<int> tokens, int start = 0, ScoreOptions? options = null)
    {
        options ??= new ScoreOptions();
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("no tokens to score", nameof(tokens));
        }
        if (start < 0 || start >= tokens.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), string.Create(CultureInfo.InvariantCulture,
                $"the first scored position {start} is not within the {tokens.Length} tokens"));
        }
        var vocab = _model.VocabSize;
        if (options.TopK < 0 || options.TopK > vocab)
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"top-k {options.TopK} is not within 0 to the vocabulary size {vocab}"));
        }
        Reset();
        Validate(tokens, 0);
        var result = new ScoreResult(start, tokens.Length, options.TopK, vocab, options.KeepLogProbs);
        var batch = _state.BatchSize;
        for (var first = 0; first < tokens.Length; first += batch)
        {
            var n = Math.Min(batch, tokens.Length - first);
            Transformer.Layers(_model, _state, _cache, tokens.Slice(first, n), first);
            Position += n;
            // The batch's rows at positions ≥ start, a few at a time through the output head.
            for (var row = Math.Max(0, start - first); row < n; row += _state.LogitRows)
            {
                var m = Math.Min(_state.LogitRows, n - row);
                Transformer.Logits(_model, _state, row, m);
                for (var i = 0; i < m; i++)
                {
                    var position = first + row + i;
                    var logProbs = _state.Logits.AsSpan(i * vocab, vocab);
                    LogProbMath.LogSoftmax(logProbs);
                    result.Set(position, logProbs, position + 1 < tokens.Length ? tokens[position + 1] : -1);
                    options.OnLogProbs?.Invoke(position, logProbs);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The residual stream after the first <paramref name="layer"/> layers (0: the token embeddings; the model's
    /// layer count: the last layer's output, before the final norm) at every position of <paramref name="tokens"/>,
    /// run from an empty cache: [tokens, hidden], row p for position p. The sequence is forgotten afterwards,
    /// since the layers above <paramref name="layer"/> never saw it.
    /// </summary>
    public float[] HiddenStates(ReadOnlySpan<int> tokens, int layer)
    {
        var layers = _model.Config.LayerCount;
        if (layer < 0 || layer > layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), string.Create(CultureInfo.InvariantCulture,
                $"layer {layer} is not within 0 (the embeddings) to the model's {layers} layers"));
        }
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("no tokens to run", nameof(tokens));
        }
        Reset();
        Validate(tokens, 0);
        var hidden = _model.Config.HiddenSize;
        var states = new float[tokens.Length * hidden];
        var batch = _state.BatchSize;
        for (var first = 0; first < tokens.Length; first += batch)
        {
            var n = Math.Min(batch, tokens.Length - first);
            Transformer.Layers(_model, _state, _cache, tokens.Slice(first, n), first, layer);
            _state.X.AsSpan(0, n * hidden).CopyTo(states.AsSpan(first * hidden));
        }
        return states;
    }

    /// <summary>
    /// One vector for <paramref name="tokens"/>: the <see cref="HiddenStates"/> of <paramref name="layer"/> averaged
    /// over the positions (<see cref="HiddenPooling.Mean"/>) or at the last position (<see cref="HiddenPooling.Last"/>).
    /// </summary>
    public float[] PooledHiddenState(ReadOnlySpan<int> tokens, int layer, HiddenPooling pooling)
    {
        var states = HiddenStates(tokens, layer);
        var hidden = _model.Config.HiddenSize;
        return pooling switch
        {
            HiddenPooling.Last => states.AsSpan((tokens.Length - 1) * hidden, hidden).ToArray(),
            HiddenPooling.Mean => MeanRow(states, tokens.Length, hidden),
            _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "unknown pooling"),
        };
    }

    private static float[] MeanRow(float[] rows, int count, int width)
    {
        // Summed in double: a long text's hidden states can be large, and float sums lose the small ones.
        var sum = new double[width];
        for (var r = 0; r < count; r++)
        {
            var row = rows.AsSpan(r * width, width);
            for (var i = 0; i < width; i++)
            {
                sum[i] += row[i];
            }
        }
        return [.. sum.Select(v => (float)(v / count))];
    }

    private void Validate(scoped ReadOnlySpan<int> tokens, int position) => ValidateTokens(_model, tokens, position, ContextSize);

    /// <summary>Refuses tokens that would run past <paramref name="context"/> or lie outside the vocabulary, in one line.</summary>
    internal static void ValidateTokens(LlamaModel model, scoped ReadOnlySpan<int> tokens, int position, int context)
    {
        if (position + tokens.Length > context)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{position + tokens.Length} tokens exceed the session's context of {context} (the model's is {model.Config.ContextLength})"), nameof(tokens));
        }
        var vocab = model.VocabSize;
        for (var i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocab)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), string.Create(CultureInfo.InvariantCulture,
                    $"token id {tokens[i]} at index {i} is outside the vocabulary of {vocab}"));
            }
        }
    }
}
