using System.Collections;
using System.Diagnostics;
using System.Globalization;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Generation;

/// <summary>
/// Generates text from prompt ids with a <see cref="LlamaModel"/>: prefill the prompt, then choose a
/// token, feed it back, repeat, until a stop token, a stop string, the token limit or the end of the
/// context. <see cref="Start"/> streams one sequence token by token; <see cref="GenerateBatch"/> decodes
/// several sequences together as one batch per step. Not thread-safe (one generation at a time);
/// dispose it to stop the kernel threads of the session it keeps.
/// </summary>
public sealed class TextGenerator : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private InferenceSession? _session;

    /// <param name="model">The model.</param>
    /// <param name="tokenizer">The model's tokenizer, for decoding and stop strings.</param>
    /// <param name="endOfGenerationIds">
    /// The ids that end generation unless <see cref="GenerationOptions.StopTokens"/> says otherwise; null: the
    /// tokenizer's EOS and the config's. For a model opened through <c>LocalModel</c>, pass
    /// <see cref="GenerationDefaults.EndOfGenerationIds"/> (which adds generation_config.json's and llama.cpp's).
    /// </param>
    /// <param name="sessionOptions">KV cache type, batch size and threads of the sessions it creates (the context is sized per prompt unless set).</param>
    public TextGenerator(LlamaModel model, Tokenizer tokenizer, IEnumerable<int>? endOfGenerationIds = null, SessionOptions? sessionOptions = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        EndOfGenerationIds = endOfGenerationIds is not null
            ? [.. endOfGenerationIds.Distinct().Order()]
            : [.. model.Config.EosTokenIds.Concat(tokenizer.EosId is int eos ? [eos] : []).Distinct().Order()];
        _sessionOptions = sessionOptions ?? new SessionOptions();
    }

    public LlamaModel Model { get; }

    public Tokenizer Tokenizer { get; }

    /// <summary>The default stop tokens.</summary>
    public IReadOnlyList<int> EndOfGenerationIds { get; }

    /// <summary>Disposes the session kept for <see cref="Start"/> (and stops its threads).</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
    }

    /// <summary>
    /// Checks the prompt and options and returns the generation, which runs as it is enumerated: one
    /// <see cref="GeneratedToken"/> per generated token, then <see cref="Generation.Result"/>.
    /// </summary>
    public Generation Start(IReadOnlyList<int> prompt, GenerationOptions? options = null)
    {
        options ??= new GenerationOptions();
        CheckPrompt(prompt, options, 0);
        return new Generation(this, [.. prompt], options);
    }

    /// <summary>Generates to the end; <paramref name="onToken"/> sees each token as it comes.</summary>
    public GenerationResult Generate(IReadOnlyList<int> prompt, GenerationOptions? options = null, Action<GeneratedToken>? onToken = null)
    {
        var generation = Start(prompt, options);
        foreach (var token in generation)
        {
            onToken?.Invoke(token);
        }
        return generation.Result;
    }

    /// <summary>
    /// Generates for every prompt at once: each prompt is prefilled on its own, then every step feeds the
    /// next token of all unfinished sequences through the model as one batch (weights are read once per
    /// step, not once per sequence). Sequence i samples with seed <see cref="SamplingOptions.Seed"/> + i, so
    /// a batch of one is <see cref="Generate"/>. <paramref name="onToken"/> sees (prompt index, token).
    /// </summary>
    public IReadOnlyList<GenerationResult> GenerateBatch(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions? options = null,
        Action<int, GeneratedToken>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        options ??= new GenerationOptions();
        if (prompts.Count == 0)
        {
            return [];
        }
        for (var i = 0; i < prompts.Count; i++)
        {
            CheckPrompt(prompts[i], options, i);
        }
        var vocab = Model.VocabSize;
        var context = _sessionOptions.ContextSize ?? ContextFor(prompts.Max(p => p.Count), options);
        using var batch = Model.CreateBatchSession(prompts.Count, _sessionOptions with { ContextSize = context });
        var stopTokens = options.StopTokens ?? EndOfGenerationIds;
        var states = new SequenceState[prompts.Count];
        var prefill = new TimeSpan[prompts.Count];
        var decode = new TimeSpan[prompts.Count];
        var clock = new Stopwatch();
        for (var i = 0; i < prompts.Count; i++)
        {
            clock.Restart();
            states[i] = new SequenceState(Tokenizer, vocab, prompts[i], options, stopTokens, options.Sampling.Seed + (ulong)i);
            var logits = batch.Prefill(i, [.. prompts[i]]);
            var token = states[i].Next(logits, batch.Position(i) == context);
            prefill[i] = clock.Elapsed;
            onToken?.Invoke(i, token);
        }

        var sequences = new int[prompts.Count];
        var tokens = new int[prompts.Count];
        clock.Restart();
        while (true)
        {
            var n = 0;
            for (var i = 0; i < states.Length; i++)
            {
                if (!states[i].Done)
                {
                    sequences[n] = i;
                    tokens[n++] = states[i].LastToken;
                }
            }
            if (n == 0)
            {
                break;
            }
            var rows = batch.Step(sequences.AsSpan(0, n), tokens.AsSpan(0, n));
            for (var j = 0; j < n; j++)
            {
                var i = sequences[j];
                var token = states[i].Next(rows.Slice(j * vocab, vocab), batch.Position(i) == context);
                if (token.IsLast)
                {
                    decode[i] = clock.Elapsed;
                }
                onToken?.Invoke(i, token);
            }
        }
        return [.. states.Select((s, i) => s.Result(prefill[i], decode[i]))];
    }

    /// <summary>The context a generation needs: the prompt and every token but the last, within the model's.</summary>
    private int ContextFor(int promptTokens, GenerationOptions options)
        => (int)Math.Min(Model.Config.ContextLength, (long)promptTokens + options.MaxTokens);

    private void CheckPrompt(IReadOnlyList<int> prompt, GenerationOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(Model.VocabSize);
        var which = index == 0 ? "the prompt" : string.Create(CultureInfo.InvariantCulture, $"prompt {index}");
        if (prompt.Count == 0)
        {
            throw new ArgumentException($"{which} is empty: generation needs at least one token", nameof(prompt));
        }
        var context = _sessionOptions.ContextSize ?? Model.Config.ContextLength;
        if (prompt.Count > context)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{which} has {prompt.Count} tokens, more than the context of {context}"), nameof(prompt));
        }
        for (var i = 0; i < prompt.Count; i++)
        {
            if ((uint)prompt[i] >= (uint)Model.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(prompt), string.Create(CultureInfo.InvariantCulture,
                    $"token id {prompt[i]} at index {i} of {which} is outside the vocabulary of {Model.VocabSize}"));
            }
        }
    }

    /// <summary>A session with room for the prompt and the tokens; reused while it is big enough.</summary>
    private InferenceSession SessionFor(int promptTokens, GenerationOptions options)
    {
        var context = _sessionOptions.ContextSize ?? ContextFor(promptTokens, options);
        if (_session is null || _session.ContextSize < context)
        {
            Dispose(); // let the old cache and threads go before the new ones are allocated
            _session = Model.CreateSession(_sessionOptions with { ContextSize = context });
        }
        _session.Reset();
        return _session;
    }

    /// <summary>One sequence's generation, run as it is enumerated (once).</summary>
    public sealed class Generation : IEnumerable<GeneratedToken>
    {
        private readonly TextGenerator _owner;
        private readonly int[] _prompt;
        private readonly GenerationOptions _options;
        private GenerationResult? _result;
        private bool _started;

        internal Generation(TextGenerator owner, int[] prompt, GenerationOptions options)
        {
            _owner = owner;
            _prompt = prompt;
            _options = options;
        }

        /// <summary>The finished sequence; available once every token has been enumerated.</summary>
        public GenerationResult Result => _result ?? throw new InvalidOperationException("the generation has not finished: enumerate its tokens first");

        public IEnumerator<GeneratedToken> GetEnumerator()
        {
            if (_started)
            {
                throw new InvalidOperationException("a generation runs once: call Start again for another");
            }
            _started = true;
            return Run();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private IEnumerator<GeneratedToken> Run()
        {
            var owner = _owner;
            var session = owner.SessionFor(_prompt.Length, _options);
            var state = new SequenceState(owner.Tokenizer, owner.Model.VocabSize, _prompt, _options,
                _options.StopTokens ?? owner.EndOfGenerationIds, _options.Sampling.Seed);
            var clock = Stopwatch.StartNew();
            var token = state.Next(session.Prefill(_prompt), session.Position == session.ContextSize);
            var prefill = clock.Elapsed;
            clock.Restart();
            yield return token;
            while (!token.IsLast)
            {
                token = state.Next(session.Step(token.Id), session.Position == session.ContextSize);
                yield return token;
            }
            _result = state.Result(prefill, clock.Elapsed);
        }
    }
}
