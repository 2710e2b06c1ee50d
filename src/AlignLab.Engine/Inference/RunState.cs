using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The activations of one batch of up to <see cref="BatchSize"/> tokens, allocated once and reused
/// for every batch. Shapes are row-major, one row per token of the batch (B = batch size).
/// </summary>
internal sealed class RunState
{
    public RunState(ModelConfig c, int batchSize, int contextSize, int logitRows, int? threads)
    {
        BatchSize = batchSize;
        ContextSize = contextSize;
        LogitRows = logitRows;
        Parallel = new ParallelOptions { MaxDegreeOfParallelism = threads ?? -1 };
        Positions = new int[batchSize];
        Caches = new KvCache[batchSize];
        X = new float[batchSize * c.HiddenSize];
        Xb = new float[batchSize * c.HiddenSize];
        Q = new float[batchSize * c.QueryWidth];
        K = new float[batchSize * c.KvWidth];
        V = new float[batchSize * c.KvWidth];
        Attention = new float[batchSize * c.QueryWidth];
        Gate = new float[batchSize * c.IntermediateSize];
        Up = new float[batchSize * c.IntermediateSize];
        Cos = new float[batchSize * (c.HeadDim / 2)];
        Sin = new float[batchSize * (c.HeadDim / 2)];
        Scores = new float[c.HeadCount * contextSize];
        HeadScratch = new float[c.HeadCount * 2 * c.HeadDim];
        Logits = new float[logitRows * c.VocabSize];
    }

    public int BatchSize { get; }

    /// <summary>Most positions a token attends to: the context size of every cache used with this state.</summary>
    public int ContextSize { get; }

    /// <summary>Positions whose logits are computed together.</summary>
    public int LogitRows { get; }

    /// <summary>The thread cap of every parallel loop of the forward pass.</summary>
    public ParallelOptions Parallel { get; }

    /// <summary>[B] the position of each token of the batch in its sequence.</summary>
    public int[] Positions { get; }

    /// <summary>[B] the KV cache of each token's sequence (one cache for a single sequence; one per sequence in a batch of sequences).</summary>
    public KvCache[] Caches { get; }

    /// <summary>[B, hidden] the residual stream.</summary>
    public float[] X { get; }

    /// <summary>[B, hidden] the normalised input of the current sub-layer; after the last layer, of the output head.</summary>
    public float[] Xb { get; }

    /// <summary>[B, heads · headDim] queries.</summary>
    public float[] Q { get; }

    /// <summary>[B, kvHeads · headDim] keys of the batch, before they go to the cache.</summary>
    public float[] K { get; }

    /// <summary>[B, kvHeads · headDim] values of the batch.</summary>
    public float[] V { get; }

    /// <summary>[B, heads · headDim] attention output, heads concatenated.</summary>
    public float[] Attention { get; }

    /// <summary>[B, ffn] gate projection, then silu(gate) ⊙ up.</summary>
    public float[] Gate { get; }

    /// <summary>[B, ffn] up projection.</summary>
    public float[] Up { get; }

    /// <summary>[B, headDim / 2] RoPE cos and sin of each token's position.</summary>
    public float[] Cos { get; }

    /// <inheritdoc cref="Cos"/>
    public float[] Sin { get; }

    /// <summary>[heads, context] attention scores, one row per head so heads run in parallel.</summary>
    public float[] Scores { get; }

    /// <summary>[heads, 2 · headDim] per-head room for F16 cache entries converted to F32.</summary>
    public float[] HeadScratch { get; }

    /// <summary>[logitRows, vocab] logits, then log-probabilities in place.</summary>
    public float[] Logits { get; }
}
