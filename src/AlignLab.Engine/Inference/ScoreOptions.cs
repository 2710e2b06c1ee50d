namespace AlignLab.Engine.Inference;

/// <summary>Called once per scored position with its full log-softmax row [vocab], valid only during the call.</summary>
/// <param name="position">The position whose next-token distribution this is.</param>
/// <param name="logProbs">log p(token | tokens[0..position]) for every token id.</param>
public delegate void LogProbsCallback(int position, ReadOnlySpan<float> logProbs);

/// <summary>What <see cref="InferenceSession.Score"/> keeps for each position.</summary>
public sealed record ScoreOptions
{
    /// <summary>How many of the most likely next tokens to keep per position (0 for none).</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Keep every position's full log-probability row ([positions, vocab] floats: large).</summary>
    public bool KeepLogProbs { get; init; }

    /// <summary>
    /// Sees every position's full row as it is computed, without keeping it: enough for exact KL
    /// against another model's kept row, or any statistic of the whole distribution.
    /// </summary>
    public LogProbsCallback? OnLogProbs { get; init; }
}

/// <summary>Sizes of an <see cref="InferenceSession"/>'s buffers, all allocated when it is created.</summary>
public sealed record SessionOptions
{
    /// <summary>Most tokens the session holds; at most the model's context length. Default: the context length, capped at 4096.</summary>
    public int? ContextSize { get; init; }

    public KvCacheType KvCacheType { get; init; } = KvCacheType.F32;

    /// <summary>Tokens run through the layers together (matrix–matrix products) in prefill and scoring.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Positions whose logits are computed together when scoring.</summary>
    public int LogitBatchSize { get; init; } = 16;

    /// <summary>
    /// Most threads the forward pass runs on (matrix products, attention), the calling thread included,
    /// for batches and decode steps alike: a cap on the session's kernel thread pools, whose sizes are
    /// otherwise chosen from the machine's cores (see <see cref="InferenceSession.BatchThreads"/> and
    /// <see cref="InferenceSession.DecodeThreads"/>). Null (the default): no cap.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Whether one-token decode steps quantize activations to 8 bits for matrices in quantized types (Q8_0,
    /// Q4_0, K-quants: integer dot products, as llama.cpp does; faster). False keeps them F32 as batched
    /// prefill and scoring do, so a decode step's logits match a scoring pass over the same tokens up to
    /// summation order — what a caller comparing generated tokens with scored distributions needs.
    /// </summary>
    public bool QuantizeDecodeActivations { get; init; } = true;

    internal void ValidateSizes()
    {
        if (BatchSize <= 0 || LogitBatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException("options", "batch sizes must be positive");
        }
        if (Threads is <= 0)
        {
            throw new ArgumentOutOfRangeException("options", $"threads must be positive, not {Threads}");
        }
    }
}
