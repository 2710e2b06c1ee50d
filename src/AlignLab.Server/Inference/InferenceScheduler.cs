using System.Globalization;
using System.Threading.Channels;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Server.Api;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Inference;

/// <summary>
/// The one thread that runs the model. Requests queue sequences to generate and prompts to score; the
/// thread admits queued work in order while a slot is free (a prompt to score needs none), then runs one
/// batched decode step of every active sequence (<see cref="GenerationBatch"/>), and again. A sequence
/// whose client has gone is dropped before its next step, freeing its slot. Tokens go to each request's
/// channel as they come.
/// </summary>
internal sealed class InferenceScheduler : IDisposable
{
    private readonly ServedModel _model;
    private readonly ServerStats _stats;
    private readonly int? _threads;
    private readonly int _maxQueued;
    private readonly GenerationBatch _batch;
    private readonly SequenceWork?[] _slots;
    private readonly Queue<Work> _queue = new();
    private readonly object _lock = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stepping = new(initialState: true);
    private InferenceSession? _scoreSession;
    private int _queuedSequences;
    private bool _stopping;
    private Exception? _crash;

    public InferenceScheduler(ServedModel model, ServerOptions options, ServerStats stats)
    {
        _model = model;
        _stats = stats;
        _threads = options.Threads;
        _maxQueued = options.MaxQueuedSequences;
        _batch = new GenerationBatch(model.Model, model.Tokenizer, model.EndOfGenerationIds, options.MaxConcurrency,
            new SessionOptions { ContextSize = model.ContextSize, Threads = options.Threads });
        _slots = new SequenceWork?[options.MaxConcurrency];
        _thread = new Thread(Run) { IsBackground = true, Name = "alignlab-inference" };
        _thread.Start();
    }

    /// <summary>
    /// Queues <paramref name="sequences"/> and returns the channel their tokens arrive on, every choice's last
    /// token marked; the channel completes when all have ended, with the error if one failed.
    /// <paramref name="cancel"/> (the client going away) drops the sequences not yet finished.
    /// </summary>
    public ChannelReader<TokenEvent> Generate(IReadOnlyList<SequenceRequest> sequences, CancellationToken cancel)
    {
        var sink = new RequestSink(sequences.Count);
        if (sequences.Count == 0)
        {
            sink.Writer.TryComplete();
            return sink.Reader;
        }
        Enqueue([.. sequences.Select(s => new SequenceWork(s, sink, cancel))], sequences.Count);
        return sink.Reader;
    }

    /// <summary>Scores <paramref name="tokens"/> teacher-forced in one pass, keeping the <paramref name="topK"/> most likely tokens per position.</summary>
    public Task<ScoreResult> ScoreAsync(int[] tokens, int topK, CancellationToken cancel)
    {
        var work = new ScoreWork(tokens, topK, cancel);
        Enqueue([work], 0);
        return work.Done.Task;
    }

    /// <summary>The <paramref name="layer"/> hidden states of <paramref name="tokens"/> pooled into one vector (not normalised), in one pass.</summary>
    public Task<float[]> EmbedAsync(int[] tokens, int layer, HiddenPooling pooling, CancellationToken cancel)
    {
        var work = new EmbedWork(tokens, layer, pooling, cancel);
        Enqueue([work], 0);
        return work.Done.Task;
    }

    /// <summary>Active slots whose client has gone but whose sequence the thread has not dropped yet (for tests).</summary>
    internal int AbandonedSlots => _slots.Count(s => s is { Cancel.IsCancellationRequested: true });

    /// <summary>
    /// Holds the thread after it admits work and before it drops cancelled sequences and steps (for tests: a
    /// client can then leave at a known point); <see cref="ResumeSteps"/> lets it go on.
    /// </summary>
    internal void PauseSteps() => _stepping.Reset();

    internal void ResumeSteps() => _stepping.Set();

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
        _stepping.Set();
        _thread.Join();
        _batch.Dispose();
        _scoreSession?.Dispose();
        _stepping.Dispose();
    }

    private void Enqueue(Work[] work, int sequences)
    {
        lock (_lock)
        {
            if (_stopping || _crash is not null)
            {
                throw new ApiException(StatusCodes.Status503ServiceUnavailable, "the server is shutting down" + (_crash is null ? "" : ": " + _crash.Message), "server_error");
            }
            if (sequences > 0 && _queuedSequences + sequences > _maxQueued)
            {
                _stats.RequestRejected();
                throw new ApiException(StatusCodes.Status503ServiceUnavailable, string.Create(CultureInfo.InvariantCulture,
                    $"the server is busy: {_queuedSequences} sequences are waiting (at most {_maxQueued}); retry later"), "server_error", null, "server_busy");
            }
            _queuedSequences += sequences;
            foreach (var item in work)
            {
                _queue.Enqueue(item);
            }
            Monitor.PulseAll(_lock);
        }
    }

    private void Run()
    {
        try
        {
            while (WaitForWork())
            {
                Admit();
                _stepping.Wait();
                DropCancelled();
                if (_batch.ActiveCount > 0)
                {
                    _batch.Step(OnToken);
                }
            }
        }
#pragma warning disable CA1031 // The thread must not die silently: every waiting request gets the error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _crash = e;
            }
        }
        FailEverything(_crash);
    }

    /// <summary>Blocks while there is nothing to do; false once the scheduler stops.</summary>
    private bool WaitForWork()
    {
        lock (_lock)
        {
            while (!_stopping && _queue.Count == 0 && _batch.ActiveCount == 0)
            {
                Monitor.Wait(_lock);
            }
            return !_stopping;
        }
    }

    /// <summary>Takes queued work in order while the head can run: prompts to score always, sequences while a slot is free.</summary>
    private void Admit()
    {
        while (true)
        {
            Work work;
            var slot = Array.IndexOf(_slots, null);
            lock (_lock)
            {
                if (!_queue.TryPeek(out var head) || (head is SequenceWork && slot < 0 && !head.Cancel.IsCancellationRequested))
                {
                    return;
                }
                work = _queue.Dequeue();
                if (work is SequenceWork)
                {
                    _queuedSequences--;
                }
            }
            switch (work)
            {
                case ScoreWork score:
                    RunScore(score);
                    break;
                case EmbedWork embed:
                    RunEmbed(embed);
                    break;
                case SequenceWork sequence when sequence.Cancel.IsCancellationRequested:
                    _stats.SequenceCancelled();
                    sequence.Sink.Finish(null);
                    break;
                case SequenceWork sequence:
                    StartSequence(sequence, slot);
                    break;
            }
        }
    }

    private void StartSequence(SequenceWork work, int slot)
    {
        var request = work.Request;
        GeneratedToken token;
        try
        {
            token = _batch.Start(slot, request.Prompt, request.Options, request.Seed);
        }
        catch (ArgumentException e)
        {
            work.Sink.Finish(ApiException.BadRequest(e.Message, "prompt"));
            return;
        }
        _stats.SequenceStarted();
        if (!token.IsLast)
        {
            _slots[slot] = work;
        }
        Emit(work, token);
    }

    private void OnToken(int slot, GeneratedToken token)
    {
        var work = _slots[slot]!;
        if (token.IsLast)
        {
            _slots[slot] = null;
        }
        Emit(work, token);
    }

    private void Emit(SequenceWork work, GeneratedToken token)
    {
        _stats.TokenGenerated();
        work.Sink.Writer.TryWrite(TokenEvent.From(work.Request.Choice, token));
        if (token.IsLast)
        {
            _stats.SequenceFinished();
            work.Sink.Finish(null);
        }
    }

    private void DropCancelled()
    {
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { } work && work.Cancel.IsCancellationRequested)
            {
                _batch.Stop(slot);
                _slots[slot] = null;
                _stats.SequenceCancelled();
                work.Sink.Finish(null);
            }
        }
    }

    private void RunScore(ScoreWork work)
    {
        if (work.Cancel.IsCancellationRequested)
        {
            work.Done.TrySetCanceled(work.Cancel);
            return;
        }
        try
        {
            _scoreSession ??= _model.Model.CreateSession(new SessionOptions { ContextSize = _model.ContextSize, Threads = _threads });
            var result = _scoreSession.Score(work.Tokens, 0, new ScoreOptions { TopK = work.TopK });
            _stats.PromptScored();
            work.Done.TrySetResult(result);
        }
        catch (ArgumentException e)
        {
            work.Done.TrySetException(ApiException.BadRequest(e.Message, "prompt"));
        }
    }

    private void RunEmbed(EmbedWork work)
    {
        if (work.Cancel.IsCancellationRequested)
        {
            work.Done.TrySetCanceled(work.Cancel);
            return;
        }
        try
        {
            _scoreSession ??= _model.Model.CreateSession(new SessionOptions { ContextSize = _model.ContextSize, Threads = _threads });
            work.Done.TrySetResult(_scoreSession.PooledHiddenState(work.Tokens, work.Layer, work.Pooling));
        }
        catch (ArgumentException e)
        {
            work.Done.TrySetException(ApiException.BadRequest(e.Message, "input"));
        }
    }

    /// <summary>After a stop or a crash: every queued and running request ends, with the crash when there was one.</summary>
    private void FailEverything(Exception? crash)
    {
        var error = new ApiException(StatusCodes.Status503ServiceUnavailable,
            crash is null ? "the server is shutting down" : "the model failed: " + crash.Message, "server_error");
        List<Work> pending;
        lock (_lock)
        {
            _stopping = true;
            pending = [.. _queue];
            _queue.Clear();
        }
        pending.AddRange(_slots.OfType<SequenceWork>());
        Array.Clear(_slots);
        foreach (var work in pending)
        {
            switch (work)
            {
                case ScoreWork score:
                    score.Done.TrySetException(error);
                    break;
                case EmbedWork embed:
                    embed.Done.TrySetException(error);
                    break;
                case SequenceWork sequence:
                    sequence.Sink.Finish(error);
                    break;
            }
        }
    }

    private abstract class Work(CancellationToken cancel)
    {
        public CancellationToken Cancel { get; } = cancel;
    }

    private sealed class SequenceWork(SequenceRequest request, RequestSink sink, CancellationToken cancel) : Work(cancel)
    {
        public SequenceRequest Request { get; } = request;

        public RequestSink Sink { get; } = sink;
    }

    private sealed class ScoreWork(int[] tokens, int topK, CancellationToken cancel) : Work(cancel)
    {
        public int[] Tokens { get; } = tokens;

        public int TopK { get; } = topK;

        public TaskCompletionSource<ScoreResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class EmbedWork(int[] tokens, int layer, HiddenPooling pooling, CancellationToken cancel) : Work(cancel)
    {
        public int[] Tokens { get; } = tokens;

        public int Layer { get; } = layer;

        public HiddenPooling Pooling { get; } = pooling;

        public TaskCompletionSource<float[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The channel of one request's sequences; complete when the last has ended, failed by the first error.</summary>
    private sealed class RequestSink(int sequences)
    {
        private readonly Channel<TokenEvent> _channel = Channel.CreateUnbounded<TokenEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private int _remaining = sequences;

        public ChannelWriter<TokenEvent> Writer => _channel.Writer;

        public ChannelReader<TokenEvent> Reader => _channel.Reader;

        public void Finish(Exception? error)
        {
            if (error is not null)
            {
                _channel.Writer.TryComplete(error);
            }
            else if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _channel.Writer.TryComplete();
            }
        }
    }
}
