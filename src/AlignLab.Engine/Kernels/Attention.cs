using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// One attention call: <see cref="Tokens"/> queries at positions <see cref="Position"/>… attending
/// causally to the cached keys and values of every earlier position and their own.
/// </summary>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">Key/value heads; query head h reads key/value head h / (Heads / KvHeads).</param>
/// <param name="HeadDim">Width of every head.</param>
/// <param name="Tokens">Queries in the batch.</param>
/// <param name="Position">The position of the first query.</param>
/// <param name="Window">Positions a query sees, itself included (a sliding window); int.MaxValue for all.</param>
public readonly record struct AttentionShape(int Heads, int KvHeads, int HeadDim, int Tokens, int Position, int Window = int.MaxValue)
{
    public int QueryWidth => Heads * HeadDim;

    public int KvWidth => KvHeads * HeadDim;
}

/// <summary>
/// Causal grouped-query attention over a key/value cache, written as small GEMMs per query head and
/// block of queries, so a batch (prefill, scoring) runs at matrix–matrix speed rather than one dot
/// product per key: scores S = Q·Kᵀ·scale over the block's key range, a masked softmax per row, then
/// O = S·V. Keys are cached as rows [capacity, kvHeads · headDim]; values transposed, as llama.cpp's
/// non-flash KV cache keeps them, [kvHeads · headDim, capacity], so that S·V is again a dot-product
/// GEMM over contiguous rows (<see cref="Gemm"/>) and one token's output is headDim long dot products.
/// F16 caches are converted per block into scratch first. Work units (a head and a block of queries)
/// are dealt round-robin to the threads of an optional <see cref="KernelThreadPool"/>; nothing is
/// allocated. Scores accumulate in a different order from <see cref="Reference"/>, so results agree to
/// float rounding, not bits.
/// </summary>
public static unsafe class Attention
{
    // Queries per work unit: their keys and values are read (and F16-converted) once for all of them,
    // and a block of 16 is four rows of the GEMM's 4×4 tiles while the wasted causal corner stays small.
    private const int BlockTokens = 16;

    /// <summary>Floats of scratch <see cref="Apply(in AttentionShape, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, KernelThreadPool?)"/> needs for up to <paramref name="capacity"/> cached positions.</summary>
    public static int ScratchLength(int headDim, int capacity, int threadCount)
        => checked(threadCount * PerThread(headDim, capacity));

    // Scores [BlockTokens, keys], then (F16 only) keys [keys, headDim] and transposed values [headDim, keys].
    private static int PerThread(int headDim, int capacity) => checked((BlockTokens + 2 * headDim) * capacity);

    /// <summary>
    /// output[t, h·headDim + d] = Σⱼ softmax_j(q_t,h · k_j,g / √headDim) · v_j,g[d] over the positions j the
    /// query at position + t sees (g = h / (heads / kvHeads)). <paramref name="queries"/> and
    /// <paramref name="output"/> are [tokens, heads · headDim]; <paramref name="keys"/> is
    /// [capacity, kvHeads · headDim] and <paramref name="values"/> [kvHeads · headDim, capacity], filled
    /// for every position up to position + tokens.
    /// </summary>
    public static void Apply(in AttentionShape shape, ReadOnlySpan<float> queries, ReadOnlySpan<float> keys, ReadOnlySpan<float> values,
        Span<float> output, Span<float> scratch, KernelThreadPool? pool = null)
    {
        var capacity = Check(shape, queries.Length, keys.Length, values.Length, output.Length, scratch.Length, pool);
        if (Width == 0)
        {
            Reference.Apply(shape, queries, keys, values, output);
            return;
        }
        fixed (float* pq = queries, pk = keys, pv = values, po = output, ps = scratch)
        {
            Run<F32Loader>(shape, pq, (byte*)pk, (byte*)pv, capacity, po, ps, pool);
        }
    }

    /// <inheritdoc cref="Apply(in AttentionShape, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, KernelThreadPool?)"/>
    public static void Apply(in AttentionShape shape, ReadOnlySpan<float> queries, ReadOnlySpan<Half> keys, ReadOnlySpan<Half> values,
        Span<float> output, Span<float> scratch, KernelThreadPool? pool = null)
    {
        var capacity = Check(shape, queries.Length, keys.Length, values.Length, output.Length, scratch.Length, pool);
        if (Width == 0)
        {
            Reference.Apply(shape, queries, keys, values, output);
            return;
        }
        fixed (float* pq = queries, po = output, ps = scratch)
        fixed (Half* pk = keys, pv = values)
        {
            Run<F16Loader>(shape, pq, (byte*)pk, (byte*)pv, capacity, po, ps, pool);
        }
    }

    private static int Width => Simd512.IsHardwareAccelerated ? 512 : Simd256.IsHardwareAccelerated ? 256 : Simd128.IsHardwareAccelerated ? 128 : 0;

    private static int Check(in AttentionShape shape, int queries, int keys, int values, int output, int scratch, KernelThreadPool? pool)
    {
        var s = shape;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s.KvHeads, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s.HeadDim, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegative(s.Tokens, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegative(s.Position, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s.Window, nameof(shape));
        if (s.Heads <= 0 || s.Heads % s.KvHeads != 0)
        {
            throw new ArgumentException($"{s.Heads} query heads are not a multiple of {s.KvHeads} key/value heads", nameof(shape));
        }
        var capacity = keys / s.KvWidth;
        if (keys != capacity * s.KvWidth || values != keys || capacity < s.Position + s.Tokens)
        {
            throw new ArgumentException($"keys and values must both hold [capacity ≥ {s.Position + s.Tokens}, {s.KvWidth}] values, not {keys} and {values}", nameof(keys));
        }
        KernelGuard.SameLength(s.Tokens * s.QueryWidth, queries, "queries");
        KernelGuard.SameLength(s.Tokens * s.QueryWidth, output, "output");
        KernelGuard.AtLeast(scratch, ScratchLength(s.HeadDim, s.Position + s.Tokens, pool?.ThreadCount ?? 1), "scratch");
        return capacity;
    }

    private static void Run<TL>(in AttentionShape shape, float* q, byte* k, byte* v, int capacity, float* output, float* scratch, KernelThreadPool? pool)
        where TL : struct, IElementLoader
    {
        if (shape.Tokens == 0)
        {
            return;
        }
        var job = new Job
        {
            Shape = shape, Q = q, K = k, V = v, Capacity = capacity, Output = output, Scratch = scratch,
            PerThread = PerThread(shape.HeadDim, shape.Position + shape.Tokens),
        };
        delegate*<void*, int, int, void> worker = Width switch
        {
            512 => &Worker<Simd512, Vector512<float>, Vector512<int>, TL>,
            256 => &Worker<Simd256, Vector256<float>, Vector256<int>, TL>,
            _ => &Worker<Simd128, Vector128<float>, Vector128<int>, TL>,
        };
        if (pool is null)
        {
            worker(&job, 0, 1);
        }
        else
        {
            pool.Run(worker, &job);
        }
    }

    private static void Worker<TS, TF, TI, TL>(void* context, int index, int count)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TL : struct, IElementLoader
    {
        var job = (Job*)context;
        var heads = job->Shape.Heads;
        var units = (job->Shape.Tokens + BlockTokens - 1) / BlockTokens * heads;
        var scratch = job->Scratch + (long)index * job->PerThread;
        // Units in order (block-major) dealt round-robin: later blocks see more keys, and every thread
        // gets its share of early and late ones.
        for (var u = index; u < units; u += count)
        {
            Unit<TS, TF, TI, TL>(job, u / heads * BlockTokens, u % heads, scratch);
        }
    }

    private static void Unit<TS, TF, TI, TL>(Job* job, int first, int head, float* scratch)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TL : struct, IElementLoader
    {
        ref readonly var s = ref job->Shape;
        var (headDim, kvWidth, capacity) = (s.HeadDim, s.KvWidth, job->Capacity);
        var tokens = Math.Min(BlockTokens, s.Tokens - first);
        var kvOffset = head / (s.Heads / s.KvHeads) * headDim;
        // Keys [lo, hi): from the window start of the block's first query to its last query's own position.
        var lastPosition = s.Position + first + tokens - 1;
        var lo = Math.Max(0, s.Position + first - s.Window + 1);
        var keys = lastPosition + 1 - lo;

        var scores = scratch;
        float* k, vt;
        int keyStride, valueStride;
        if (typeof(TL) == typeof(F32Loader))
        {
            k = (float*)job->K + (long)lo * kvWidth + kvOffset;
            vt = (float*)job->V + (long)kvOffset * capacity + lo;
            (keyStride, valueStride) = (kvWidth, capacity);
        }
        else
        {
            k = scratch + BlockTokens * keys;
            vt = k + (long)keys * headDim;
            (keyStride, valueStride) = (headDim, keys);
            for (var j = 0; j < keys; j++)
            {
                WeightRow.DequantizeElements<TL, TS, TF, TI>(job->K + ((long)(lo + j) * kvWidth + kvOffset) * TL.ElementBytes, k + (long)j * headDim, headDim);
            }
            for (var d = 0; d < headDim; d++)
            {
                WeightRow.DequantizeElements<TL, TS, TF, TI>(job->V + ((long)(kvOffset + d) * capacity + lo) * TL.ElementBytes, vt + (long)d * keys, keys);
            }
        }

        var queries = job->Q + (long)first * s.QueryWidth + head * headDim;
        Gemm.Multiply<TS, TF, TI>(k, keyStride, keys, queries, s.QueryWidth, tokens, headDim, scores, keys, accumulate: false);
        var scale = 1 / MathF.Sqrt(headDim);
        for (var t = 0; t < tokens; t++)
        {
            // Query t sees keys [from, to] of the range; the rest of its row is masked to zero weight.
            var p = s.Position + first + t;
            var from = Math.Max(lo, p - s.Window + 1) - lo;
            var to = p - lo;
            var row = scores + (long)t * keys;
            new Span<float>(row, from).Clear();
            VectorOps.Scale<TS, TF, TI>(row + from, scale, row + from, to - from + 1);
            Softmax.Apply<TS, TF, TI>(row + from, to - from + 1);
            new Span<float>(row + to + 1, keys - to - 1).Clear();
        }
        // O = S·V in two parts, so a query never multiplies the value of a later position, even by a zero
        // weight (a NaN there must not reach earlier positions): the keys before the block, which every
        // query of the block sees, as one GEMM; then the block's own positions, query t taking t + 1 of them.
        var output = job->Output + (long)first * s.QueryWidth + head * headDim;
        var before = s.Position + first - lo;
        Gemm.Multiply<TS, TF, TI>(vt, valueStride, headDim, scores, keys, tokens, before, output, s.QueryWidth, accumulate: false);
        for (var t = 0; t < tokens; t++)
        {
            Gemm.Multiply<TS, TF, TI>(vt + before, valueStride, headDim, scores + (long)t * keys + before, keys, 1, t + 1,
                output + (long)t * s.QueryWidth, s.QueryWidth, accumulate: true);
        }
    }

    private struct Job
    {
        public AttentionShape Shape;
        public float* Q, Output, Scratch;
        public byte* K, V;
        public int Capacity, PerThread;
    }

    /// <summary>
    /// The scalar twin: per query and head, a dot with every visible key, softmax, and the weighted sum of
    /// values, in index order. (It is also the path on machines without vector units; F16 entries are
    /// converted into arrays first there.)
    /// </summary>
    public static class Reference
    {
        public static void Apply(in AttentionShape shape, ReadOnlySpan<float> queries, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, Span<float> output)
        {
            var s = shape;
            var capacity = keys.Length / s.KvWidth;
            var scale = 1 / MathF.Sqrt(s.HeadDim);
            var group = s.Heads / s.KvHeads;
            var scores = new float[s.Position + s.Tokens];
            for (var t = 0; t < s.Tokens; t++)
            {
                var p = s.Position + t;
                var from = Math.Max(0, p - s.Window + 1);
                for (var h = 0; h < s.Heads; h++)
                {
                    var q = queries.Slice(t * s.QueryWidth + h * s.HeadDim, s.HeadDim);
                    var kv = h / group * s.HeadDim;
                    for (var j = from; j <= p; j++)
                    {
                        var key = keys.Slice(j * s.KvWidth + kv, s.HeadDim);
                        var dot = 0f;
                        for (var d = 0; d < s.HeadDim; d++)
                        {
                            dot += q[d] * key[d];
                        }
                        scores[j - from] = dot * scale;
                    }
                    Softmax.Reference.Apply(scores.AsSpan(0, p - from + 1));
                    for (var d = 0; d < s.HeadDim; d++)
                    {
                        var value = values.Slice((kv + d) * capacity, capacity);
                        var sum = 0f;
                        for (var j = from; j <= p; j++)
                        {
                            sum += scores[j - from] * value[j];
                        }
                        output[t * s.QueryWidth + h * s.HeadDim + d] = sum;
                    }
                }
            }
        }

        public static void Apply(in AttentionShape shape, ReadOnlySpan<float> queries, ReadOnlySpan<Half> keys, ReadOnlySpan<Half> values, Span<float> output)
        {
            float[] k = new float[keys.Length], v = new float[values.Length];
            for (var i = 0; i < k.Length; i++)
            {
                (k[i], v[i]) = ((float)keys[i], (float)values[i]);
            }
            Apply(shape, queries, k, v, output);
        }
    }
}
