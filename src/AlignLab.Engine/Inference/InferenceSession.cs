using System.Globalization;
using AlignLab.Engine.Kernels;

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
    private readonly KernelThreadPool? _batchPool;
    private readonly KernelThreadPool? _decodePool;

    internal InferenceSession(LlamaModel model, SessionOptions options)
    {
        _model = model;
        var c = model.Config;
        var context = options.ContextSize ?? Math.Min(c.ContextLength, DefaultMaxContext);
        if (context <= 0 || context > c.ContextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"context size {context} is not within 1 to the model's context length {c.ContextLength}"));
        }
        if (options.BatchSize <= 0 || options.LogitBatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "batch sizes must be positive");
        }
        if (options.Threads is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture, $"thread count {options.Threads} is not positive"));
        }
        var batch = Math.Min(options.BatchSize, context);
        (BatchThreads, DecodeThreads) = options.Threads is { } n ? (n, n) : ThreadPlan.Automatic(Environment.ProcessorCount);
        _cache = new KvCache(c, context, options.KvCacheType);
        _batchPool = BatchThreads > 1 ? new KernelThreadPool(BatchThreads) : null;
        _decodePool = DecodeThreads == BatchThreads ? _batchPool : DecodeThreads > 1 ? new KernelThreadPool(DecodeThreads) : null;
        _state = new RunState(model, batch, context, Math.Min(options.LogitBatchSize, batch), _batchPool, _decodePool);
    }

    /// <summary>Threads a batch of tokens (prefill, scoring) runs on, the calling thread included.</summary>
    public int BatchThreads { get; }

    /// <summary>Threads one decode step runs on, the calling thread included.</summary>
    public int DecodeThreads { get; }

    public LlamaModel Model => _model;

    /// <summary>Tokens in the cache: the position the next token will take.</summary>
    public int Position { get; private set; }

    public int ContextSize => _cache.ContextSize;

    public KvCacheType KvCacheType => _cache.Type;

    /// <summary>Forgets the sequence (the buffers are kept).</summary>
    public void Reset() => Position = 0;

    /// <summary>Stops the kernel threads; the session cannot run afterwards.</summary>
    public void Dispose()
    {
        if (!ReferenceEquals(_decodePool, _batchPool))
        {
            _decodePool?.Dispose();
        }
        _batchPool?.Dispose();
    }

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
                Transformer.Logits(_model, _state, n - 1, 1, Position - 1);
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
                Transformer.Logits(_model, _state, row, m, first + row);
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

    private void Validate(scoped ReadOnlySpan<int> tokens, int position)
    {
        if (position + tokens.Length > ContextSize)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{position + tokens.Length} tokens exceed the session's context of {ContextSize} (the model's is {_model.Config.ContextLength})"), nameof(tokens));
        }
        var vocab = _model.VocabSize;
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
