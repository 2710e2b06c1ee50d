using System.Runtime.Intrinsics;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Products of a stored weight matrix W (rows × columns of a ggml type, row-major, read in place)
/// with activations, multithreaded over output rows in fixed contiguous ranges, one per thread of an
/// optional <see cref="KernelThreadPool"/>. Nothing is allocated per call.
/// <list type="bullet">
/// <item><see cref="MatVec"/>: y[r] = dot(W row r, x) for one token, float activations, each block
/// dequantized in registers (<see cref="WeightRow"/>). Memory-bound.</item>
/// <item><see cref="MatVecQuantized"/>: the same with x quantized once to Q8_0/Q8_K and integer
/// dot products (<see cref="QuantizedDot"/>), as llama.cpp does; faster for the quantized types, less exact.</item>
/// <item><see cref="Multiply"/>: Y[t, r] = dot(W row r, X[t]) for a batch of tokens (prefill,
/// scoring). A panel of rows is dequantized once into the caller's scratch and multiplied with every
/// token by the register-tiled float GEMM (<see cref="Gemm"/>) in depth chunks that stay in cache, so
/// each weight is read from memory once per call however many tokens there are. Compute-bound.</item>
/// </list>
/// </summary>
public static unsafe class MatMul
{
    // Rows dequantized at a time per thread; the GEMM runs over them in depth chunks of at most MaxDepthChunk floats,
    // so a 4-row weight tile plus a 4-token activation tile (2 · 4 · 1024 · 4 bytes = 32 KiB) stay in L1/L2 while
    // each tile's 16 horizontal sums are amortised over at least 1024/Count steps.
    private const int PanelRows = 16;
    private const int MaxDepthChunk = 1024;

    /// <summary>Floats of scratch <see cref="Multiply"/> needs: one panel per thread (none for F32 weights).</summary>
    public static int ScratchLength(GgmlType type, int columns, int threadCount)
        => type == GgmlType.F32 ? 0 : checked(PanelRows * columns * threadCount);

    /// <summary>y[r] = dot(W row r, x) for r &lt; <paramref name="rows"/>, with x.Length columns.</summary>
    public static void MatVec(GgmlType type, ReadOnlySpan<byte> weights, int rows, ReadOnlySpan<float> x, Span<float> y, KernelThreadPool? pool = null)
    {
        var rowBytes = CheckMatrix(type, weights.Length, rows, x.Length);
        KernelGuard.SameLength(rows, y.Length, nameof(y));
        fixed (byte* pw = weights)
        fixed (float* px = x, py = y)
        {
            var job = new Job { Type = type, Weights = pw, RowBytes = rowBytes, Rows = rows, Columns = x.Length, Tokens = 1, X = px, Y = py };
            Run(pool, Width switch
            {
                512 => &MatVecWorker<Simd512, Vector512<float>, Vector512<int>>,
                256 => &MatVecWorker<Simd256, Vector256<float>, Vector256<int>>,
                128 => &MatVecWorker<Simd128, Vector128<float>, Vector128<int>>,
                _ => &MatVecScalarWorker,
            }, &job);
        }
    }

    /// <summary>
    /// y[r] = dot(W row r, x) with x already quantized by <see cref="ActivationQuantizer"/> to
    /// <see cref="QuantizedDot.ActivationType"/>(<paramref name="type"/>).
    /// </summary>
    public static void MatVecQuantized(GgmlType type, ReadOnlySpan<byte> weights, int rows, ReadOnlySpan<byte> quantizedX, int columns, Span<float> y, KernelThreadPool? pool = null)
    {
        var rowBytes = CheckMatrix(type, weights.Length, rows, columns);
        QuantizedDot.Check(type, (int)rowBytes, quantizedX.Length, columns);
        KernelGuard.SameLength(rows, y.Length, nameof(y));
        fixed (byte* pw = weights, pq = quantizedX)
        fixed (float* py = y)
        {
            var job = new Job { Type = type, Weights = pw, RowBytes = rowBytes, Rows = rows, Columns = columns, Tokens = 1, QuantizedX = pq, Y = py };
            Run(pool, &MatVecQuantizedWorker, &job);
        }
    }

    /// <summary>
    /// Y[t·yStride + r] = dot(W row r, X[t]) for the x.Length / columns tokens of <paramref name="x"/>
    /// (row-major, one token per row). <paramref name="yStride"/> defaults to <paramref name="rows"/>;
    /// a larger one writes these rows into wider output rows, so a matrix too large for one span can be
    /// multiplied slice by slice (pass y sliced at the slice's first row). <paramref name="scratch"/>
    /// must hold <see cref="ScratchLength"/> floats for the pool's thread count. One token takes the
    /// <see cref="MatVec"/> path.
    /// </summary>
    public static void Multiply(GgmlType type, ReadOnlySpan<byte> weights, int rows, int columns, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch,
        KernelThreadPool? pool = null, int yStride = 0)
    {
        var rowBytes = CheckMatrix(type, weights.Length, rows, columns);
        if (x.Length % columns != 0)
        {
            throw new ArgumentException($"{x.Length} activations are not whole rows of {columns}", nameof(x));
        }
        var tokens = x.Length / columns;
        var stride = yStride == 0 ? rows : yStride;
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, rows, nameof(yStride));
        KernelGuard.AtLeast(y.Length, tokens == 0 ? 0 : ((long)tokens - 1) * stride + rows, nameof(y));
        if (tokens <= 1)
        {
            if (tokens == 1)
            {
                MatVec(type, weights, rows, x, y[..rows], pool);
            }
            return;
        }
        KernelGuard.AtLeast(scratch.Length, ScratchLength(type, columns, pool?.ThreadCount ?? 1), nameof(scratch));
        fixed (byte* pw = weights)
        fixed (float* px = x, py = y, ps = scratch)
        {
            var job = new Job
            {
                Type = type, Weights = pw, RowBytes = rowBytes, Rows = rows, Columns = columns, Tokens = tokens, X = px, Y = py, YStride = stride, Scratch = ps,
            };
            Run(pool, Width switch
            {
                512 => &MultiplyWorker<Simd512, Vector512<float>, Vector512<int>>,
                256 => &MultiplyWorker<Simd256, Vector256<float>, Vector256<int>>,
                128 => &MultiplyWorker<Simd128, Vector128<float>, Vector128<int>>,
                _ => &MultiplyScalarWorker,
            }, &job);
        }
    }

    // The widest accelerated vector width, or 0 for none.
    private static int Width => Simd512.IsHardwareAccelerated ? 512 : Simd256.IsHardwareAccelerated ? 256 : Simd128.IsHardwareAccelerated ? 128 : 0;

    private static long CheckMatrix(GgmlType type, int weightBytes, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var rowBytes = WeightRow.RowBytes(type, columns);
        if (weightBytes != rowBytes * rows)
        {
            throw new ArgumentException($"{rows} rows of {columns} {type} values take {rowBytes * rows} bytes, but {weightBytes} were given", "weights");
        }
        return rowBytes;
    }

    private static void Run(KernelThreadPool? pool, delegate*<void*, int, int, void> worker, Job* job)
    {
        if (pool is null)
        {
            worker(job, 0, 1);
        }
        else
        {
            pool.Run(worker, job);
        }
    }

    // Thread i of n takes rows [first, end): equal contiguous shares, so each thread streams its own part of W.
    internal static (int First, int End) Share(int rows, int index, int count)
        => ((int)((long)rows * index / count), (int)((long)rows * (index + 1) / count));

    private static void MatVecWorker<TS, TF, TI>(void* context, int index, int count)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var job = (Job*)context;
        var (first, end) = Share(job->Rows, index, count);
        WeightRow.DotRows<TS, TF, TI>(job->Type, job->Weights, job->RowBytes, first, end, job->X, job->Columns, job->Y);
    }

    private static void MatVecScalarWorker(void* context, int index, int count)
    {
        var job = (Job*)context;
        var (first, end) = Share(job->Rows, index, count);
        for (var r = first; r < end; r++)
        {
            job->Y[r] = WeightRow.Reference.Dot(job->Type, new ReadOnlySpan<byte>(job->Weights + r * job->RowBytes, (int)job->RowBytes), new ReadOnlySpan<float>(job->X, job->Columns));
        }
    }

    private static void MatVecQuantizedWorker(void* context, int index, int count)
    {
        var job = (Job*)context;
        var (first, end) = Share(job->Rows, index, count);
        QuantizedDot.DotRows(job->Type, job->Weights, job->RowBytes, first, end, job->QuantizedX, job->Columns, job->Y);
    }

    private static void MultiplyWorker<TS, TF, TI>(void* context, int index, int count)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var job = (Job*)context;
        var (first, end) = Share(job->Rows, index, count);
        var columns = job->Columns;
        var chunks = (columns + MaxDepthChunk - 1) / MaxDepthChunk;
        var chunk = (columns / chunks + TS.Count - 1) / TS.Count * TS.Count;
        var scratch = job->Scratch + (long)index * PanelRows * columns;
        for (var p = first; p < end; p += PanelRows)
        {
            var panelEnd = Math.Min(p + PanelRows, end);
            float* panel;
            if (job->Type == GgmlType.F32)
            {
                panel = (float*)(job->Weights + p * job->RowBytes);
            }
            else
            {
                WeightRow.DequantizeRows<TS, TF, TI>(job->Type, job->Weights, job->RowBytes, p, panelEnd, columns, scratch);
                panel = scratch;
            }
            for (var k = 0; k < columns; k += chunk)
            {
                Gemm.Multiply<TS, TF, TI>(panel + k, columns, panelEnd - p, job->X + k, columns, job->Tokens,
                    Math.Min(chunk, columns - k), job->Y + p, job->YStride, accumulate: k > 0);
            }
        }
    }

    private static void MultiplyScalarWorker(void* context, int index, int count)
    {
        var job = (Job*)context;
        var (first, end) = Share(job->Rows, index, count);
        for (var t = 0; t < job->Tokens; t++)
        {
            for (var r = first; r < end; r++)
            {
                job->Y[(long)t * job->YStride + r] = WeightRow.Reference.Dot(job->Type, new ReadOnlySpan<byte>(job->Weights + r * job->RowBytes, (int)job->RowBytes),
                    new ReadOnlySpan<float>(job->X + (long)t * job->Columns, job->Columns));
            }
        }
    }

    private struct Job
    {
        public GgmlType Type;
        public byte* Weights;
        public long RowBytes;
        public int Rows, Columns, Tokens, YStride;
        public float* X, Y, Scratch;
        public byte* QuantizedX;
    }

    /// <summary>Scalar twins: every output one <see cref="WeightRow.Reference"/> or <see cref="QuantizedDot.Reference"/> dot.</summary>
    public static class Reference
    {
        public static void Multiply(GgmlType type, ReadOnlySpan<byte> weights, int rows, int columns, ReadOnlySpan<float> x, Span<float> y)
        {
            var rowBytes = (int)CheckMatrix(type, weights.Length, rows, columns);
            KernelGuard.SameLength(x.Length / columns * rows, y.Length, nameof(y));
            for (var t = 0; t < x.Length / columns; t++)
            {
                for (var r = 0; r < rows; r++)
                {
                    y[t * rows + r] = WeightRow.Reference.Dot(type, weights.Slice(r * rowBytes, rowBytes), x.Slice(t * columns, columns));
                }
            }
        }

        public static void MatVecQuantized(GgmlType type, ReadOnlySpan<byte> weights, int rows, ReadOnlySpan<byte> quantizedX, int columns, Span<float> y)
        {
            var rowBytes = (int)CheckMatrix(type, weights.Length, rows, columns);
            KernelGuard.SameLength(rows, y.Length, nameof(y));
            for (var r = 0; r < rows; r++)
            {
                y[r] = QuantizedDot.Reference.Dot(type, weights.Slice(r * rowBytes, rowBytes), quantizedX, columns);
            }
        }
    }
}
