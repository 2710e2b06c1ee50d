using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// The float GEMM behind batched matmul: y[t·ldy + r] (+)= Σₖ w[r·ldw + k]·x[t·ldx + k], both operands
/// row-major along k (dot-product form, no transposes). A 4×4 register tile of rows × tokens keeps
/// 16 accumulators and loads 4 weight and 4 activation vectors per step, so every load feeds four
/// FMAs; the edges fall back to plain dot products. 16 accumulators plus 5 operands need the 32
/// vector registers of AVX-512 (or ARM64); with AVX2's 16 the tile spills a little.
/// </summary>
internal static unsafe class Gemm
{
    internal static void Multiply<TS, TF, TI>(float* w, int ldw, int rows, float* x, int ldx, int tokens, int depth, float* y, int ldy, bool accumulate)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var t = 0;
        for (; t + 4 <= tokens; t += 4)
        {
            var r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                Tile4x4<TS, TF, TI>(w + (long)r * ldw, ldw, x + (long)t * ldx, ldx, depth, y + (long)t * ldy + r, ldy, accumulate);
            }
            for (; r < rows; r++)
            {
                for (var tt = t; tt < t + 4; tt++)
                {
                    Edge<TS, TF, TI>(w + (long)r * ldw, x + (long)tt * ldx, depth, y + (long)tt * ldy + r, accumulate);
                }
            }
        }
        for (; t < tokens; t++)
        {
            for (var r = 0; r < rows; r++)
            {
                Edge<TS, TF, TI>(w + (long)r * ldw, x + (long)t * ldx, depth, y + (long)t * ldy + r, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Edge<TS, TF, TI>(float* w, float* x, int depth, float* y, bool accumulate)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var dot = VectorOps.Dot<TS, TF, TI>(w, x, depth);
        *y = accumulate ? *y + dot : dot;
    }

    private static void Tile4x4<TS, TF, TI>(float* w, int ldw, float* x, int ldx, int depth, float* y, int ldy, bool accumulate)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        float* x0 = x, x1 = x + ldx, x2 = x + 2 * ldx, x3 = x + 3 * ldx;
        TF c00 = TS.Zero, c10 = TS.Zero, c20 = TS.Zero, c30 = TS.Zero;
        TF c01 = TS.Zero, c11 = TS.Zero, c21 = TS.Zero, c31 = TS.Zero;
        TF c02 = TS.Zero, c12 = TS.Zero, c22 = TS.Zero, c32 = TS.Zero;
        TF c03 = TS.Zero, c13 = TS.Zero, c23 = TS.Zero, c33 = TS.Zero;
        var k = 0;
        for (; k <= depth - TS.Count; k += TS.Count)
        {
            TF a0 = TS.Load(w0 + k), a1 = TS.Load(w1 + k), a2 = TS.Load(w2 + k), a3 = TS.Load(w3 + k);
            var b = TS.Load(x0 + k);
            c00 = TS.MultiplyAdd(a0, b, c00);
            c10 = TS.MultiplyAdd(a1, b, c10);
            c20 = TS.MultiplyAdd(a2, b, c20);
            c30 = TS.MultiplyAdd(a3, b, c30);
            b = TS.Load(x1 + k);
            c01 = TS.MultiplyAdd(a0, b, c01);
            c11 = TS.MultiplyAdd(a1, b, c11);
            c21 = TS.MultiplyAdd(a2, b, c21);
            c31 = TS.MultiplyAdd(a3, b, c31);
            b = TS.Load(x2 + k);
            c02 = TS.MultiplyAdd(a0, b, c02);
            c12 = TS.MultiplyAdd(a1, b, c12);
            c22 = TS.MultiplyAdd(a2, b, c22);
            c32 = TS.MultiplyAdd(a3, b, c32);
            b = TS.Load(x3 + k);
            c03 = TS.MultiplyAdd(a0, b, c03);
            c13 = TS.MultiplyAdd(a1, b, c13);
            c23 = TS.MultiplyAdd(a2, b, c23);
            c33 = TS.MultiplyAdd(a3, b, c33);
        }
        Store(TS.SumFour(c00, c10, c20, c30), w0, w1, w2, w3, x0, k, depth, y, accumulate);
        Store(TS.SumFour(c01, c11, c21, c31), w0, w1, w2, w3, x1, k, depth, y + ldy, accumulate);
        Store(TS.SumFour(c02, c12, c22, c32), w0, w1, w2, w3, x2, k, depth, y + 2 * ldy, accumulate);
        Store(TS.SumFour(c03, c13, c23, c33), w0, w1, w2, w3, x3, k, depth, y + 3 * ldy, accumulate);
    }

    // Adds the scalar tail k in [from, depth) of one token against four rows to their sums, then
    // writes or accumulates the four outputs, which are adjacent in y.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<float> sums, float* w0, float* w1, float* w2, float* w3, float* x, int from, int depth, float* y, bool accumulate)
    {
        if (from < depth)
        {
            float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (var k = from; k < depth; k++)
            {
                t0 += w0[k] * x[k];
                t1 += w1[k] * x[k];
                t2 += w2[k] * x[k];
                t3 += w3[k] * x[k];
            }
            sums += Vector128.Create(t0, t1, t2, t3);
        }
        (accumulate ? Vector128.Load(y) + sums : sums).Store(y);
    }
}
