using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>How a head's dimensions are paired for rotation.</summary>
public enum RopeLayout
{
    /// <summary>Adjacent pairs (2i, 2i+1): llama.cpp's LLAMA_ROPE_TYPE_NORM, used by GGUF Llama files (whose Q/K are permuted).</summary>
    Normal,

    /// <summary>Halves (i, i + d/2): llama.cpp's NEOX type and Hugging Face's rotate_half.</summary>
    Neox,
}

/// <summary>
/// Rotary position embedding applied in place to every head of a row, from per-position cos/sin tables
/// (see <see cref="RopeFrequencies"/>). With P = cos.Length pairs, the first 2P dimensions of each
/// head rotate and the rest are left alone (partial rotary). Each pair (a, b) becomes
/// (a·cos - b·sin, a·sin + b·cos), unfused, so every width gives the same bits as <see cref="Reference"/>.
/// </summary>
public static unsafe class Rope
{
    public static void Apply(Span<float> x, int headDim, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, RopeLayout layout)
    {
        Validate(x.Length, headDim, cos.Length, sin.Length);
        fixed (float* px = x, pc = cos, ps = sin)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Apply<Simd512, Vector512<float>, Vector512<int>>(px, x.Length, headDim, pc, ps, cos.Length, layout);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Apply<Simd256, Vector256<float>, Vector256<int>>(px, x.Length, headDim, pc, ps, cos.Length, layout);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Apply<Simd128, Vector128<float>, Vector128<int>>(px, x.Length, headDim, pc, ps, cos.Length, layout);
            }
            else
            {
                Reference.Apply(x, headDim, cos, sin, layout);
            }
        }
    }

    internal static void Apply<TS, TF, TI>(float* x, int length, int headDim, float* cos, float* sin, int pairs, RopeLayout layout)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var c = TS.Count;
        for (var head = x; head < x + length; head += headDim)
        {
            var i = 0;
            if (layout == RopeLayout.Normal)
            {
                // One load of Count cos/sin values serves two vectors of x (Count pairs): x·[c0 c0 c1 c1 ...]
                // + [-x1 x0 -x3 x2 ...]·[s0 s0 s1 s1 ...] is exactly the scalar formula, lane by lane.
                for (; i <= pairs - c; i += c)
                {
                    TF cv = TS.Load(cos + i), sv = TS.Load(sin + i);
                    TF lo = TS.Load(head + 2 * i), hi = TS.Load(head + 2 * i + c);
                    TS.Store(head + 2 * i, TS.Add(TS.Multiply(lo, TS.DuplicateLower(cv)), TS.Multiply(TS.RotatePairs(lo), TS.DuplicateLower(sv))));
                    TS.Store(head + 2 * i + c, TS.Add(TS.Multiply(hi, TS.DuplicateUpper(cv)), TS.Multiply(TS.RotatePairs(hi), TS.DuplicateUpper(sv))));
                }
                for (; i < pairs; i++)
                {
                    Rotate(ref head[2 * i], ref head[2 * i + 1], cos[i], sin[i]);
                }
            }
            else
            {
                var second = head + pairs;
                for (; i <= pairs - c; i += c)
                {
                    TF cv = TS.Load(cos + i), sv = TS.Load(sin + i);
                    TF a = TS.Load(head + i), b = TS.Load(second + i);
                    TS.Store(head + i, TS.Subtract(TS.Multiply(a, cv), TS.Multiply(b, sv)));
                    TS.Store(second + i, TS.Add(TS.Multiply(a, sv), TS.Multiply(b, cv)));
                }
                for (; i < pairs; i++)
                {
                    Rotate(ref head[i], ref second[i], cos[i], sin[i]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rotate(ref float a, ref float b, float cos, float sin)
    {
        var x0 = a;
        var x1 = b;
        a = x0 * cos - x1 * sin;
        b = x0 * sin + x1 * cos;
    }

    private static void Validate(int length, int headDim, int cosLength, int sinLength)
    {
        KernelGuard.SameLength(cosLength, sinLength, "sin");
        if (headDim <= 0 || length % headDim != 0)
        {
            throw new ArgumentException($"{length} values are not a whole number of heads of {headDim}", nameof(headDim));
        }
        if (2 * cosLength > headDim)
        {
            throw new ArgumentException($"{cosLength} rotation pairs do not fit a head of {headDim}", "cos");
        }
    }

    public static class Reference
    {
        public static void Apply(Span<float> x, int headDim, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, RopeLayout layout)
        {
            Validate(x.Length, headDim, cos.Length, sin.Length);
            var pairs = cos.Length;
            for (var start = 0; start < x.Length; start += headDim)
            {
                var head = x.Slice(start, headDim);
                for (var i = 0; i < pairs; i++)
                {
                    if (layout == RopeLayout.Normal)
                    {
                        Rotate(ref head[2 * i], ref head[2 * i + 1], cos[i], sin[i]);
                    }
                    else
                    {
                        Rotate(ref head[i], ref head[i + pairs], cos[i], sin[i]);
                    }
                }
            }
        }
    }
}
