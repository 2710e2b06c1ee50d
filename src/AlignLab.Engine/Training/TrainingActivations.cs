
namespace AlignLab.Engine.Training;

/// <summary>
/// Everything one forward and backward pass over a batch of N = B·T tokens works in, allocated once:
/// the activations the backward pass needs (per layer), the gradients flowing back, and scratch for
/// transposes. With D = hidden, W = H·hd + 2·K·hd (stacked QKV), A = H·hd, F = feed-forward width, V = vocabulary.
/// </summary>
internal sealed class TrainingActivations
{
    public TrainingActivations(ParameterLayout layout, int rows, int length, int threads)
    {
        var c = layout.Config;
        Rows = rows;
        Length = length;
        var n = rows * length;
        var (d, f, v) = (c.HiddenSize, c.IntermediateSize, c.VocabSize);
        var width = c.QueryWidth + 2 * c.KvWidth;
        float[] Make(long count) => new float[checked((int)count)];
        float[][] PerLayer(long count) => [.. Enumerable.Range(0, c.LayerCount).Select(_ => Make(count))];

        LayerInput = PerLayer(n * d);
        AttentionInput = PerLayer(n * d);
        Qkv = PerLayer((long)n * width);
        Probabilities = PerLayer(AttentionGrad.ProbabilityLength(rows, length, c.HeadCount));
        AttentionOutput = PerLayer((long)n * c.QueryWidth);
        Middle = PerLayer(n * d);
        FeedForwardInput = PerLayer(n * d);
        GateUp = PerLayer((long)n * 2 * f);
        Hidden = PerLayer((long)n * f);
        Final = Make(n * d);
        FinalNormed = Make(n * d);
        Logits = Make((long)n * v);
        RowLoss = Make(n);

        DResidual = Make(n * d);
        DNormed = Make(n * d);
        DQkv = Make((long)n * width);
        DAttention = Make((long)n * c.QueryWidth);
        DGateUp = Make((long)n * 2 * f);
        DHidden = Make((long)n * f);
        InverseRms = Make(n);
        var widest = Math.Max(layout.WidestMatrixSide, width);
        InputTransposed = Make((long)n * widest);
        OutputTransposed = Make((long)n * widest);
        WeightTransposed = Make(layout.LargestMatrix);
        Attention = new AttentionGrad(rows, length, c.HeadCount, c.KvHeadCount, c.HeadDim, threads);
        Rope = new RopeGrad(c);
    }

    /// <summary>B</summary>
    public int Rows { get; }

    /// <summary>T</summary>
    public int Length { get; }

    /// <summary>[L][N, D] the residual stream entering each layer.</summary>
    public float[][] LayerInput { get; }

    /// <summary>[L][N, D] rmsnorm(x) ⊙ attention norm.</summary>
    public float[][] AttentionInput { get; }

    /// <summary>[L][N, W] Q, K (rotated) and V.</summary>
    public float[][] Qkv { get; }

    /// <summary>[L][B, H, T, T] attention probabilities.</summary>
    public float[][] Probabilities { get; }

    /// <summary>[L][N, A] attention output, heads concatenated, before the output projection.</summary>
    public float[][] AttentionOutput { get; }

    /// <summary>[L][N, D] the residual stream after attention.</summary>
    public float[][] Middle { get; }

    /// <summary>[L][N, D] rmsnorm(middle) ⊙ feed-forward norm.</summary>
    public float[][] FeedForwardInput { get; }

    /// <summary>[L][N, 2F] gate and up projections.</summary>
    public float[][] GateUp { get; }

    /// <summary>[L][N, F] silu(gate) ⊙ up.</summary>
    public float[][] Hidden { get; }

    /// <summary>[N, D] the residual stream after the last layer.</summary>
    public float[] Final { get; }

    /// <summary>[N, D] rmsnorm(final) ⊙ output norm.</summary>
    public float[] FinalNormed { get; }

    /// <summary>[N, V] logits, then their gradient.</summary>
    public float[] Logits { get; }

    /// <summary>[N] each position's weighted loss.</summary>
    public float[] RowLoss { get; }

    /// <summary>[N, D] ∂loss/∂residual stream, carried down the layers.</summary>
    public float[] DResidual { get; }

    /// <summary>[N, D] ∂loss/∂(a norm's output).</summary>
    public float[] DNormed { get; }

    /// <summary>[N, W] ∂loss/∂QKV.</summary>
    public float[] DQkv { get; }

    /// <summary>[N, A] ∂loss/∂attention output.</summary>
    public float[] DAttention { get; }

    /// <summary>[N, 2F] ∂loss/∂(gate, up).</summary>
    public float[] DGateUp { get; }

    /// <summary>[N, F] ∂loss/∂hidden.</summary>
    public float[] DHidden { get; }

    /// <summary>[N] scratch for the RMSNorm gradient.</summary>
    public float[] InverseRms { get; }

    /// <summary>[widest, N] a layer input transposed.</summary>
    public float[] InputTransposed { get; }

    /// <summary>[widest, N] a layer output gradient transposed.</summary>
    public float[] OutputTransposed { get; }

    /// <summary>[largest matrix] a weight matrix transposed.</summary>
    public float[] WeightTransposed { get; }

    public AttentionGrad Attention { get; }

    public RopeGrad Rope { get; }

    /// <summary>Bytes these buffers take for <paramref name="rows"/> × <paramref name="length"/> tokens (attention scratch aside), counted as the constructor allocates them.</summary>
    public static long EstimateBytes(ParameterLayout layout, int rows, int length)
    {
        var c = layout.Config;
        var n = (long)rows * length;
        var (d, f, width) = (c.HiddenSize, c.IntermediateSize, c.QueryWidth + 2L * c.KvWidth);
        var perLayer = n * (4 * d + width + c.QueryWidth + 3L * f) + AttentionGrad.ProbabilityLength(rows, length, c.HeadCount);
        var widest = Math.Max(layout.WidestMatrixSide, width);
        var shared = n * (4 * d + c.VocabSize + 2 + width + c.QueryWidth + 3L * f + 2 * widest) + layout.LargestMatrix;
        return sizeof(float) * (c.LayerCount * perLayer + shared);
    }
}
