using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Inference;

/// <summary>
/// Everything one forward pass of up to <see cref="BatchSize"/> tokens works in, allocated once per
/// session and reused for every batch and every decode step: the activations (row-major, one row per
/// token of the batch; B = batch size), the kernels' scratch, and the threads the kernels run on.
/// </summary>
internal sealed class RunState : IDisposable
{
    /// <param name="threads">The cap on either pool's threads (<see cref="SessionOptions.Threads"/>); null: none.</param>
    /// <param name="quantizeDecodeActivations">See <see cref="SessionOptions.QuantizeDecodeActivations"/>.</param>
    public RunState(LlamaModel model, int batchSize, int contextSize, int logitRows, int? threads, bool quantizeDecodeActivations)
    {
        QuantizeDecodeActivations = quantizeDecodeActivations;
        var c = model.Config;
        BatchSize = batchSize;
        ContextSize = contextSize;
        LogitRows = logitRows;
        var (batchThreads, decodeThreads) = ThreadPlan.Automatic(Environment.ProcessorCount);
        BatchThreads = Math.Min(batchThreads, threads ?? int.MaxValue);
        DecodeThreads = Math.Min(decodeThreads, threads ?? int.MaxValue);
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
        Logits = new float[logitRows * c.VocabSize];
        AttentionScratch = new float[Kernels.Attention.ScratchLength(c.HeadDim, contextSize, Math.Max(BatchThreads, DecodeThreads))];
        var matrices = model.Matrices.ToList();
        MatMulScratch = batchSize == 1 ? [] : new float[matrices.Max(w => MatMul.ScratchLength(w.Type, w.Columns, BatchThreads))];
        QuantizedX = new byte[matrices.Max(w => w.ActivationType is { } a ? ActivationQuantizer.QuantizedBytes(a, w.Columns) : 0)];
        // The threads last, so that nothing after them can fail and leave them running.
        BatchPool = BatchThreads > 1 ? new KernelThreadPool(BatchThreads) : null;
        DecodePool = DecodeThreads == BatchThreads ? BatchPool : DecodeThreads > 1 ? new KernelThreadPool(DecodeThreads) : null;
    }

    public int BatchSize { get; }

    /// <summary>Whether one-token products quantize x for the integer kernels (<see cref="SessionOptions.QuantizeDecodeActivations"/>).</summary>
    public bool QuantizeDecodeActivations { get; }

    /// <summary>Most positions a token attends to: the context size of every cache used with this state.</summary>
    public int ContextSize { get; }

    /// <summary>Positions whose logits are computed together when scoring.</summary>
    public int LogitRows { get; }

    /// <summary>Threads a batch of tokens (prefill, scoring, a step of several sequences) runs on, the calling thread included.</summary>
    public int BatchThreads { get; }

    /// <summary>Threads one token (a decode step) runs on, the calling thread included.</summary>
    public int DecodeThreads { get; }

    /// <summary>Threads for a batch of tokens; null for the calling thread alone.</summary>
    public KernelThreadPool? BatchPool { get; }

    /// <summary>Threads for one token; null for the calling thread alone.</summary>
    public KernelThreadPool? DecodePool { get; }

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

    /// <summary>[logitRows, vocab] logits, then log-probabilities in place.</summary>
    public float[] Logits { get; }

    /// <summary>Per-thread scores and converted keys/values of <see cref="Kernels.Attention"/>.</summary>
    public float[] AttentionScratch { get; }

    /// <summary>Per-thread panels of dequantized weight rows for batched products (<see cref="MatMul.Multiply"/>).</summary>
    public float[] MatMulScratch { get; }

    /// <summary>One token's activations quantized for the integer matrix–vector path (<see cref="WeightMatrix.ActivationType"/>).</summary>
    public byte[] QuantizedX { get; }

    /// <summary>The threads for a product over <paramref name="tokens"/> tokens.</summary>
    public KernelThreadPool? PoolFor(int tokens) => tokens == 1 ? DecodePool : BatchPool;

    /// <summary>Stops the kernel threads; the state cannot run afterwards.</summary>
    public void Dispose()
    {
        if (!ReferenceEquals(DecodePool, BatchPool))
        {
            DecodePool?.Dispose();
        }
        BatchPool?.Dispose();
    }
}
