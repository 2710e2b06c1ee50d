using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The numeric operations the forward pass needs, in one place: the seam to the SIMD kernels of
/// <see cref="AlignLab.Engine.Kernels"/>. The matrix product is still assembled here from the kernels'
/// row operations (one token: a dot with each stored row; a batch: each row converted to F32 once and
/// dotted with every token), to be replaced by the kernels' matmul when it lands.
/// </summary>
internal static unsafe class ModelOps
{
    /// <summary>Rows per parallel work item of a matrix product.</summary>
    private const int RowsPerTask = 16;

    /// <summary>Multiply-adds below which a product runs on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 16;

    /// <summary>No limit: as many threads as the thread pool gives.</summary>
    private static readonly ParallelOptions Unlimited = new();

    [ThreadStatic]
    private static float[]? t_row;

    /// <summary>
    /// y = x·Wᵀ for a batch: <paramref name="x"/> is [n, W.Columns], <paramref name="y"/> is [n, W.Rows],
    /// both row-major. W stays in its stored type. <paramref name="parallel"/> caps the threads (null: no cap).
    /// </summary>
    public static void MatMul(WeightMatrix w, ReadOnlySpan<float> x, int n, Span<float> y, ParallelOptions? parallel = null)
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
                MatMulSlice(w.Type, pw, w.RowBytes, w.Columns, w.Rows, first, count, px, n, py, parallel ?? Unlimited);
            }
        }
    }

    private static void MatMulSlice(GgmlType type, byte* w, int rowBytes, int columns, int yStride, int firstRow, int rows, float* x, int n, float* y, ParallelOptions parallel)
    {
        var tasks = (rows + RowsPerTask - 1) / RowsPerTask;
        if ((long)rows * columns * n < ParallelThreshold || tasks == 1)
        {
            MatMulRows(type, w, rowBytes, columns, yStride, firstRow, 0, rows, x, n, y);
            return;
        }
        var (wp, xp, yp) = ((nint)w, (nint)x, (nint)y);
        Parallel.For(0, tasks, parallel, task =>
        {
            var start = task * RowsPerTask;
            MatMulRows(type, (byte*)wp, rowBytes, columns, yStride, firstRow, start, Math.Min(rows, start + RowsPerTask), (float*)xp, n, (float*)yp);
        });
    }

    private static void MatMulRows(GgmlType type, byte* w, int rowBytes, int columns, int yStride, int firstRow, int start, int end, float* x, int n, float* y)
    {
        if (n == 1 && WeightRow.IsSupported(type))
        {
            // One token (decode): dot the stored rows directly.
            var x0 = new ReadOnlySpan<float>(x, columns);
            for (var r = start; r < end; r++)
            {
                y[firstRow + r] = WeightRow.Dot(type, new ReadOnlySpan<byte>(w + ((long)r * rowBytes), rowBytes), x0);
            }
            return;
        }
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
                y[((long)t * yStride) + firstRow + r] = VectorOps.Dot(row, new ReadOnlySpan<float>(x + ((long)t * columns), columns));
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
            case var _ when WeightRow.IsSupported(type):
                WeightRow.Dequantize(type, stored, destination);
                break;
            default:
                GgmlDequantizer.Dequantize(type, stored, destination);
                break;
        }
    }

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

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => VectorOps.Dot(a, b);

    /// <summary>y += a·x.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float a, Span<float> y) => VectorOps.Axpy(a, x, y);

    /// <summary>x = softmax(x), shifted by the maximum so no exponent overflows.</summary>
    public static void Softmax(Span<float> x) => Kernels.Softmax.Apply(x);

    /// <summary>Whether every value is finite (a NaN or infinity makes the largest magnitude non-finite).</summary>
    public static bool AllFinite(ReadOnlySpan<float> x) => x.IsEmpty || float.IsFinite(TensorPrimitives.MaxMagnitude(x));
}
