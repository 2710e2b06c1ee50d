namespace AlignLab.Server.Inference;

/// <summary>Counters of what the server has done, for tests and the load check; thread-safe.</summary>
public sealed class ServerStats
{
    private long _sequencesStarted;
    private long _sequencesFinished;
    private long _sequencesCancelled;
    private long _tokensGenerated;
    private long _promptsScored;
    private long _requests;
    private long _rejected;
    private long _inFlight;
    private long _mostInFlight;

    /// <summary>Sequences that got a slot and their prompt prefilled.</summary>
    public long SequencesStarted => Interlocked.Read(ref _sequencesStarted);

    /// <summary>Sequences that ran to their end (a stop, the token limit or the context).</summary>
    public long SequencesFinished => Interlocked.Read(ref _sequencesFinished);

    /// <summary>Sequences dropped because their client went away (before or after they got a slot).</summary>
    public long SequencesCancelled => Interlocked.Read(ref _sequencesCancelled);

    public long TokensGenerated => Interlocked.Read(ref _tokensGenerated);

    /// <summary>Teacher-forced passes for prompt_logprobs or echo logprobs.</summary>
    public long PromptsScored => Interlocked.Read(ref _promptsScored);

    /// <summary>HTTP requests answered (any status).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>HTTP requests being answered now.</summary>
    public long RequestsInFlight => Interlocked.Read(ref _inFlight);

    /// <summary>The most HTTP requests that were being answered at once.</summary>
    public long MostRequestsInFlight => Interlocked.Read(ref _mostInFlight);

    /// <summary>Requests refused because the queue was full.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    internal void SequenceStarted() => Interlocked.Increment(ref _sequencesStarted);

    internal void SequenceFinished() => Interlocked.Increment(ref _sequencesFinished);

    internal void SequenceCancelled() => Interlocked.Increment(ref _sequencesCancelled);

    internal void TokenGenerated() => Interlocked.Increment(ref _tokensGenerated);

    internal void PromptScored() => Interlocked.Increment(ref _promptsScored);

    internal void RequestArrived()
    {
        var now = Interlocked.Increment(ref _inFlight);
        long most;
        while (now > (most = Interlocked.Read(ref _mostInFlight)) && Interlocked.CompareExchange(ref _mostInFlight, now, most) != most)
        {
            // Another request raised the peak meanwhile: compare again.
        }
    }

    internal void RequestAnswered()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _requests);
    }

    internal void RequestRejected() => Interlocked.Increment(ref _rejected);
}
