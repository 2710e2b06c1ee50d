using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The numeric operations the forward pass needs, in one place: the seam where the fast kernels of
/// <c>AlignLab.Engine.Kernels</c> plug in. Until they do, these are plain implementations over
/// <see cref="TensorPrimitives"/> and the reference dequantizer: a weight row is converted to F32 once
/// per matrix product and dotted with every activation row of the batch.
/// </summary>
internal static unsafe class ModelOps
{
    /// <summary>Rows per parallel work item of a matrix product.</summary>
    private const int RowsPerTask = 16;

    /// <summary>Multiply-adds below which a product runs on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 16;

    [ThreadStatic]
    private static float[]? t_row;

    /// <summary>
    /// y = x·Wᵀ for a batch: <paramref name="x"/> is [n, W.Columns], <paramref name="y"/> is [n, W.Rows],
    /// both row-major. W stays in its stored type.
    /// </summary>
    public static void MatMul(WeightMatrix w, ReadOnlySpan<float> x, int n, Span<float> y)
    {
        if (x.Length < n * w.Columns || y.Length < n * w.Rows)
        {
            throw new ArgumentException($"matmul {w}: x [{n}, {w.Columns}] or y [{n}, {w.Rows}] too short");
        }
        for (var first = 0; first < w.Rows; first += w.MaxRowsPerSlice)
        {
            var count = Math.Min(w.MaxRowsPerSlice, w.Rows - first);
            var bytes = w.RowBytesOf(first, count);
            fixed (byte* pw = bytes)
            fixed (float* px = x)
            fixed (float* py = y)
            {
                MatMulSlice(w.Type, pw, w.RowBytes, w.Columns, w.Rows, first, count, px, n, py);
            }
        }
    }

    private static void MatMulSlice(GgmlType type, byte* w, int rowBytes, int columns, int yStride, int firstRow, int rows, float* x, int n, float* y)
    {
        var tasks = (rows + RowsPerTask - 1) / RowsPerTask;
        if ((long)rows * columns * n < ParallelThreshold || tasks == 1)
        {
            MatMulRows(type, w, rowBytes, columns, yStride, firstRow, 0, rows, x, n, y);
            return;
        }
        var (wp, xp, yp) = ((nint)w, (nint)x, (nint)y);
        Parallel.For(0, tasks, task =>
        {
            var start = task * RowsPerTask;
            MatMulRows(type, (byte*)wp, rowBytes, columns, yStride, firstRow, start, Math.Min(rows, start + RowsPerTask), (float*)xp, n, (float*)yp);
        });
    }

    private static void MatMulRows(GgmlType type, byte* w, int rowBytes, int columns, int yStride, int firstRow, int start, int end, float* x, int n, float* y)
    {
        var scratch = t_row is { } buffer && buffer.Length >= columns ? buffer : t_row = new float[columns];
        for (var r = start; r < end; r++)
        {
            var stored = new ReadOnlySpan<byte>(w + ((long)r * rowBytes), rowBytes);
            ReadOnlySpan<float> row;
            if (type == GgmlType.F32)
            {
                row = MemoryMarshal.Cast<byte, float>(stored);
            }
            else
            {
                DequantizeRow(type, stored, scratch.AsSpan(0, columns));
                row = scratch.AsSpan(0, columns);
            }
            for (var t = 0; t < n; t++)
            {
                y[((long)t * yStride) + firstRow + r] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(x + ((long)t * columns), columns));
            }
        }
    }

    /// <summary>One stored row to F32.</summary>
    public static void DequantizeRow(GgmlType type, ReadOnlySpan<byte> stored, Span<float> destination)
    {
        switch (type)
        {
            case GgmlType.F32:
                MemoryMarshal.Cast<byte, float>(stored).CopyTo(destination);
                break;
            case GgmlType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(stored), destination);
                break;
            default:
                GgmlDequantizer.Dequantize(type, stored, destination);
                break;
        }
    }

    /// <summary>
    /// y = x / sqrt(mean(x²) + eps) ⊙ weight over one row, the mean accumulated in double as ggml does.
    /// <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> y)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += (double)v * v;
        }
        var scale = 1f / MathF.Sqrt((float)(sum / x.Length) + eps);
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Multiply(y, weight, y);
    }

    /// <summary>Adds <paramref name="bias"/> [width] to every row of <paramref name="y"/> [n, width].</summary>
    public static void AddBias(Span<float> y, int n, ReadOnlySpan<float> bias)
    {
        for (var t = 0; t < n; t++)
        {
            var row = y.Slice(t * bias.Length, bias.Length);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>gate = silu(gate) ⊙ up, where silu(g) = g·σ(g).</summary>
    public static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (var i = 0; i < gate.Length; i++)
        {
            var g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);

    /// <summary>y += a·x.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float a, Span<float> y) => TensorPrimitives.MultiplyAdd(x, a, y, y);

    /// <summary>x = softmax(x), shifted by the maximum so no exponent overflows.</summary>
    public static void Softmax(Span<float> x)
    {
        var max = TensorPrimitives.Max(x);
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var e = MathF.Exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        TensorPrimitives.Multiply(x, (float)(1 / sum), x);
    }

    /// <summary>Whether every value is finite (a NaN or infinity makes the largest magnitude non-finite).</summary>
    public static bool AllFinite(ReadOnlySpan<float> x) => x.IsEmpty || float.IsFinite(TensorPrimitives.MaxMagnitude(x));
}
