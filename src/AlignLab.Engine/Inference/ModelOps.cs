using System.Numerics.Tensors;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The numeric operations the forward pass needs, in one place: the seam to the SIMD kernels of
/// <see cref="AlignLab.Engine.Kernels"/>. Products and attention run on the session's threads and
/// scratch (<see cref="RunState"/>), so a forward pass allocates nothing.
/// </summary>
internal static class ModelOps
{
    /// <summary>
    /// y = x·Wᵀ for a batch: <paramref name="x"/> is [n, W.Columns], <paramref name="y"/> is [n, W.Rows],
    /// both row-major. W stays in its stored type. A batch is a GEMM over panels of dequantized rows;
    /// one token is a matrix–vector product, with x quantized once for the integer kernels where
    /// <see cref="WeightMatrix.ActivationType"/> says so.
    /// </summary>
    public static void MatMul(WeightMatrix w, ReadOnlySpan<float> x, int n, Span<float> y, RunState s)
    {
        var columns = w.Columns;
        x = x[..(n * columns)];
        var pool = s.PoolFor(n);
        Span<byte> quantized = default;
        if (n == 1 && s.QuantizeDecodeActivations && w.ActivationType is { } activation)
        {
            quantized = s.QuantizedX.AsSpan(0, ActivationQuantizer.QuantizedBytes(activation, columns));
            ActivationQuantizer.Quantize(activation, x, quantized);
        }
        // Spans stop at 2 GiB, so a larger matrix is multiplied a slice of rows at a time.
        for (var first = 0; first < w.Rows; first += w.MaxRowsPerSlice)
        {
            var count = Math.Min(w.MaxRowsPerSlice, w.Rows - first);
            var weights = w.RowBytesOf(first, count);
            if (quantized.IsEmpty)
            {
                Kernels.MatMul.Multiply(w.Type, weights, count, columns, x, y[first..], s.MatMulScratch, pool, yStride: w.Rows);
            }
            else
            {
                Kernels.MatMul.MatVecQuantized(w.Type, weights, count, quantized, columns, y.Slice(first, count), pool);
            }
        }
    }

    /// <summary>
    /// Causal attention of one sequence's queries [shape.Tokens, heads · headDim], at consecutive positions
    /// from shape.Position, over layer <paramref name="layer"/> of that sequence's cache.
    /// </summary>
    public static void Attention(KvCache cache, int layer, in AttentionShape shape, ReadOnlySpan<float> queries, Span<float> output, RunState s)
    {
        var length = shape.Tokens * shape.QueryWidth;
        var pool = s.PoolFor(shape.Tokens);
        if (cache.Type == KvCacheType.F32)
        {
            Kernels.Attention.Apply(shape, queries[..length], cache.Keys32(layer), cache.Values32(layer), output[..length], s.AttentionScratch, pool);
        }
        else
        {
            Kernels.Attention.Apply(shape, queries[..length], cache.Keys16(layer), cache.Values16(layer), output[..length], s.AttentionScratch, pool);
        }
    }

    /// <summary>One stored row to F32 (bit-identical to the reference dequantizer).</summary>
    public static void DequantizeRow(GgmlType type, ReadOnlySpan<byte> stored, Span<float> destination) => WeightRow.Dequantize(type, stored, destination);

    /// <summary>y = x / sqrt(mean(x²) + eps) ⊙ weight over one row. <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> y)
        => Kernels.RmsNorm.Apply(x, weight, eps, y[..x.Length]);

    /// <summary>Adds <paramref name="bias"/> [width] to every row of <paramref name="y"/> [n, width].</summary>
    public static void AddBias(Span<float> y, int n, ReadOnlySpan<float> bias)
    {
        for (var t = 0; t < n; t++)
        {
            var row = y.Slice(t * bias.Length, bias.Length);
            VectorOps.Add(row, bias, row);
        }
    }

    /// <summary>gate = silu(gate) ⊙ up, where silu(g) = g·σ(g).</summary>
    public static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up) => Activations.SwiGlu(gate, up, gate);

    /// <summary>Whether every value is finite (a NaN or infinity makes the largest magnitude non-finite).</summary>
    public static bool AllFinite(ReadOnlySpan<float> x) => x.IsEmpty || float.IsFinite(TensorPrimitives.MaxMagnitude(x));
}
