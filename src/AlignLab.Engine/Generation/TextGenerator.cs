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
        var context = _sessionOptions.ContextSize ?? ContextFor(prompts.Max(p => p.Count), options);
        using var batch = new GenerationBatch(Model, Tokenizer, EndOfGenerationIds, prompts.Count, _sessionOptions with { ContextSize = context });
        var outputs = prompts.Select(p => new BatchOutput(p.Count)).ToArray();
        var prefill = new TimeSpan[prompts.Count];
        var decode = new TimeSpan[prompts.Count];
        var clock = new Stopwatch();
        for (var i = 0; i < prompts.Count; i++)
        {
            clock.Restart();
            var token = batch.Start(i, prompts[i], options, options.Sampling.Seed + (ulong)i);
            prefill[i] = clock.Elapsed;
            outputs[i].Add(token);
            onToken?.Invoke(i, token);
        }
        clock.Restart();
        void Collect(int i, GeneratedToken token)
        {
            outputs[i].Add(token);
            if (token.IsLast)
            {
                decode[i] = clock.Elapsed;
            }
            onToken?.Invoke(i, token);
        }
        while (batch.ActiveCount > 0)
        {
            batch.Step(Collect);
        }
        return [.. outputs.Select((o, i) => o.Result(prefill[i], decode[i]))];
    }

    /// <summary>The context a generation needs: the prompt and every token but the last, within the model's.</summary>
    private int ContextFor(int promptTokens, GenerationOptions options)
        => (int)Math.Min(Model.Config.ContextLength, (long)promptTokens + options.MaxTokens);

    private void CheckPrompt(IReadOnlyList<int> prompt, GenerationOptions options, int index)
        => PromptCheck.Validate(prompt, options, Model, _sessionOptions.ContextSize ?? Model.Config.ContextLength,
            index == 0 ? "the prompt" : string.Create(CultureInfo.InvariantCulture, $"prompt {index}"));

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

    /// <summary>What one sequence of <see cref="GenerateBatch"/> has generated so far.</summary>
    private sealed class BatchOutput(int promptTokens)
    {
        private readonly List<int> _tokens = [];
        private readonly System.Text.StringBuilder _text = new();
        private GenerationEndReason _end;

        public void Add(GeneratedToken token)
        {
            _tokens.Add(token.Id);
            _text.Append(token.Text);
            _end = token.EndReason;
        }

        public GenerationResult Result(TimeSpan prefill, TimeSpan decode) => new(promptTokens, [.. _tokens], _text.ToString(), _end, prefill, decode);
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
