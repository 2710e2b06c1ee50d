using System.Globalization;

namespace AlignLab.Engine.Inference;

/// <summary>
/// Several independent sequences decoded together: each has its own KV cache and position, and a
/// <see cref="Step"/> runs the next token of any subset of them through the layers as one batch, so
/// every weight matrix is read once per step for all of them (decoding one sequence at a time reads
/// the weights once per token). Prompts are prefilled one sequence at a time. Caches, activations and
/// kernel threads are allocated once, when the session is created. Not thread-safe; dispose it to stop
/// its threads.
/// </summary>
public sealed class BatchSession : IDisposable
{
    private readonly LlamaModel _model;
    private readonly RunState _state;
    private readonly KvCache[] _caches;
    private readonly int[] _positions;

    internal BatchSession(LlamaModel model, int sequences, SessionOptions options)
    {
        if (sequences <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequences), string.Create(CultureInfo.InvariantCulture,
                $"a batch needs at least one sequence, not {sequences}"));
        }
        _model = model;
        var c = model.Config;
        var context = InferenceSession.ContextOf(c, options);
        options.ValidateSizes();
        _caches = [.. Enumerable.Range(0, sequences).Select(_ => new KvCache(c, context, options.KvCacheType))];
        _positions = new int[sequences];
        var batch = Math.Max(sequences, Math.Min(options.BatchSize, context));
        _state = new RunState(model, batch, context, sequences, options.Threads, options.QuantizeDecodeActivations);
    }

    public LlamaModel Model => _model;

    public int SequenceCount => _caches.Length;

    /// <summary>Most tokens each sequence holds.</summary>
    public int ContextSize => _state.ContextSize;

    /// <summary>Tokens in <paramref name="sequence"/>'s cache: the position its next token will take.</summary>
    public int Position(int sequence) => _positions[CheckSequence(sequence)];

    /// <summary>Forgets one sequence (its buffers are kept).</summary>
    public void Reset(int sequence) => _positions[CheckSequence(sequence)] = 0;

    /// <summary>Stops the kernel threads; the session cannot run afterwards.</summary>
    public void Dispose() => _state.Dispose();

    /// <summary>
    /// Appends <paramref name="tokens"/> to one sequence and returns the logits [vocab] that follow the
    /// last of them, valid until the session is next used.
    /// </summary>
    public ReadOnlySpan<float> Prefill(int sequence, scoped ReadOnlySpan<int> tokens)
    {
        CheckSequence(sequence);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("no tokens to run", nameof(tokens));
        }
        InferenceSession.ValidateTokens(_model, tokens, _positions[sequence], ContextSize);
        var batch = _state.BatchSize;
        for (var first = 0; first < tokens.Length; first += batch)
        {
            var n = Math.Min(batch, tokens.Length - first);
            Transformer.Layers(_model, _state, _caches[sequence], tokens.Slice(first, n), _positions[sequence]);
            _positions[sequence] += n;
            if (first + n == tokens.Length)
            {
                Transformer.Logits(_model, _state, n - 1, 1);
            }
        }
        return _state.Logits.AsSpan(0, _model.VocabSize);
    }

    /// <summary>
    /// Appends <paramref name="tokens"/>[i] to sequence <paramref name="sequences"/>[i] (distinct sequences)
    /// in one batched pass, and returns the logits [n, vocab]: row i follows tokens[i]. Valid until the
    /// session is next used.
    /// </summary>
    public ReadOnlySpan<float> Step(scoped ReadOnlySpan<int> sequences, scoped ReadOnlySpan<int> tokens)
    {
        var n = tokens.Length;
        if (n == 0 || sequences.Length != n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"a step needs one token per sequence: {sequences.Length} sequences, {n} tokens"), nameof(tokens));
        }
        for (var i = 0; i < n; i++)
        {
            var sequence = CheckSequence(sequences[i]);
            if (sequences[..i].Contains(sequence))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"sequence {sequence} appears twice in one step"), nameof(sequences));
            }
            InferenceSession.ValidateTokens(_model, tokens.Slice(i, 1), _positions[sequence], ContextSize);
            _state.Positions[i] = _positions[sequence];
            _state.Caches[i] = _caches[sequence];
        }
        Transformer.Layers(_model, _state, tokens);
        Transformer.Logits(_model, _state, 0, n);
        foreach (var sequence in sequences)
        {
            _positions[sequence]++;
        }
        return _state.Logits.AsSpan(0, n * _model.VocabSize);
    }

    private int CheckSequence(int sequence)
        => (uint)sequence < (uint)_caches.Length
            ? sequence
            : throw new ArgumentOutOfRangeException(nameof(sequence), string.Create(CultureInfo.InvariantCulture,
                $"sequence {sequence} is not within 0 to {_caches.Length - 1}"));
}
