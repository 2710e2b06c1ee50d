using System.Globalization;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Generation;

/// <summary>
/// Continuous batching: a fixed number of slots, each holding one sequence that joins when a slot is free
/// (<see cref="Start"/> prefills its prompt and picks its first token) and leaves when it ends or is
/// <see cref="Stop"/>ped; every <see cref="Step"/> runs the next token of all active sequences through the
/// model as one batch (<see cref="BatchSession"/>). A sequence gets the tokens it would get alone
/// (<see cref="TextGenerator.Generate"/> with the same options and seed), whatever else is in the batch.
/// Buffers and kernel threads are allocated once, for <see cref="SlotCount"/> sequences of
/// <see cref="ContextSize"/> tokens. Not thread-safe; dispose it to stop its threads.
/// </summary>
public sealed class GenerationBatch : IDisposable
{
    private readonly BatchSession _batch;
    private readonly Tokenizer _tokenizer;
    private readonly IReadOnlyList<int> _endOfGenerationIds;
    private readonly SequenceState?[] _states;
    private readonly int[] _sequences;
    private readonly int[] _tokens;

    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer, for decoding and stop strings.</param>
    /// <param name="endOfGenerationIds">The ids that end a sequence unless its <see cref="GenerationOptions.StopTokens"/> say otherwise.</param>
    /// <param name="slots">Most sequences decoded together.</param>
    /// <param name="sessionOptions">KV cache type, threads and the context of every slot (default: the model's, capped at 4096).</param>
    public GenerationBatch(LlamaModel model, Tokenizer tokenizer, IEnumerable<int> endOfGenerationIds, int slots, SessionOptions? sessionOptions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(endOfGenerationIds);
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _endOfGenerationIds = [.. endOfGenerationIds.Distinct().Order()];
        _batch = model.CreateBatchSession(slots, sessionOptions);
        _states = new SequenceState?[slots];
        _sequences = new int[slots];
        _tokens = new int[slots];
    }

    public LlamaModel Model => _batch.Model;

    public int SlotCount => _states.Length;

    /// <summary>Most tokens a sequence (prompt and generated tokens) holds.</summary>
    public int ContextSize => _batch.ContextSize;

    /// <summary>Slots whose sequence is still generating.</summary>
    public int ActiveCount => _states.Count(s => s is not null);

    /// <summary>Whether <paramref name="slot"/> holds a sequence that has not ended.</summary>
    public bool IsActive(int slot) => _states[CheckSlot(slot)] is not null;

    /// <summary>
    /// Puts a new sequence in the free <paramref name="slot"/>: checks the prompt and options, prefills the
    /// prompt and returns the first generated token (sampled with <paramref name="seed"/>). When that token
    /// ends the sequence, the slot is free again at once.
    /// </summary>
    public GeneratedToken Start(int slot, IReadOnlyList<int> prompt, GenerationOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_states[CheckSlot(slot)] is not null)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"slot {slot} already holds a sequence"));
        }
        PromptCheck.Validate(prompt, options, Model, ContextSize, "the prompt");
        var state = new SequenceState(_tokenizer, Model.VocabSize, prompt, options, options.StopTokens ?? _endOfGenerationIds, seed);
        _batch.Reset(slot);
        var token = state.Next(_batch.Prefill(slot, [.. prompt]), _batch.Position(slot) == ContextSize);
        _states[slot] = token.IsLast ? null : state;
        return token;
    }

    /// <summary>
    /// Feeds the last token of every active sequence through the model as one batch and picks each one's
    /// next token; <paramref name="onToken"/> sees (slot, token), the token's top lists valid only during the
    /// call. A sequence whose token is its last leaves its slot. Returns how many sequences stepped.
    /// </summary>
    public int Step(Action<int, GeneratedToken> onToken)
    {
        ArgumentNullException.ThrowIfNull(onToken);
        var n = 0;
        for (var slot = 0; slot < _states.Length; slot++)
        {
            if (_states[slot] is { } state)
            {
                _sequences[n] = slot;
                _tokens[n++] = state.LastToken;
            }
        }
        if (n == 0)
        {
            return 0;
        }
        var vocab = Model.VocabSize;
        var rows = _batch.Step(_sequences.AsSpan(0, n), _tokens.AsSpan(0, n));
        for (var j = 0; j < n; j++)
        {
            var slot = _sequences[j];
            var state = _states[slot]!;
            var token = state.Next(rows.Slice(j * vocab, vocab), _batch.Position(slot) == ContextSize);
            if (token.IsLast)
            {
                _states[slot] = null;
            }
            onToken(slot, token);
        }
        return n;
    }

    /// <summary>Ends the sequence in <paramref name="slot"/> early (a cancelled request); the slot is free.</summary>
    public void Stop(int slot) => _states[CheckSlot(slot)] = null;

    public void Dispose() => _batch.Dispose();

    private int CheckSlot(int slot)
        => (uint)slot < (uint)_states.Length
            ? slot
            : throw new ArgumentOutOfRangeException(nameof(slot), string.Create(CultureInfo.InvariantCulture,
                $"slot {slot} is not within 0 to {_states.Length - 1}"));
}
