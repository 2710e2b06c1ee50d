using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Softmax, log-softmax and log-sum-exp, all max-subtracted so no exponent overflows, and the entropy
/// of a log-softmax row. NaN anywhere in
/// the input makes every output NaN. Vector lanes use the runtime's vector exp and tails
/// <see cref="MathF.Exp"/>, so results agree with <see cref="Reference"/> to a few ulps, not bits.
/// </summary>
public static unsafe class Softmax
{
    /// <summary>values[i] = e^(values[i] - max) / Σ e^(values[j] - max), in place (llama.cpp multiplies by 1/Σ).</summary>
    public static void Apply(Span<float> values)
    {
        fixed (float* p = values)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Apply<Simd512, Vector512<float>, Vector512<int>>(p, values.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Apply<Simd256, Vector256<float>, Vector256<int>>(p, values.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Apply<Simd128, Vector128<float>, Vector128<int>>(p, values.Length);
            }
            else
            {
                Reference.Apply(values);
            }
        }
    }

    /// <summary>destination[i] = (x[i] - max) - ln Σ e^(x[j] - max).</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination)
    {
        KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x, pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Log<Simd512, Vector512<float>, Vector512<int>>(px, pd, x.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Log<Simd256, Vector256<float>, Vector256<int>>(px, pd, x.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Log<Simd128, Vector128<float>, Vector128<int>>(px, pd, x.Length);
            }
            else
            {
                Reference.Log(x, destination);
            }
        }
    }

    /// <summary>ln Σ e^x[i]; -∞ for an empty span, and ±∞ when the maximum is (as torch.logsumexp).</summary>
    public static float LogSumExp(ReadOnlySpan<float> x)
    {
        fixed (float* px = x)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                return LogSumExp<Simd512, Vector512<float>, Vector512<int>>(px, x.Length);
            }
            if (Simd256.IsHardwareAccelerated)
            {
                return LogSumExp<Simd256, Vector256<float>, Vector256<int>>(px, x.Length);
            }
            if (Simd128.IsHardwareAccelerated)
            {
                return LogSumExp<Simd128, Vector128<float>, Vector128<int>>(px, x.Length);
            }
        }
        return Reference.LogSumExp(x);
    }

    /// <summary>
    /// −Σ e^l[i]·l[i] over a row of natural-log probabilities: the entropy in nats. Entries of −∞
    /// (probability 0) add nothing; a NaN makes the result NaN.
    /// </summary>
    public static float Entropy(ReadOnlySpan<float> logProbs)
    {
        fixed (float* p = logProbs)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                return Entropy<Simd512, Vector512<float>, Vector512<int>>(p, logProbs.Length);
            }
            if (Simd256.IsHardwareAccelerated)
            {
                return Entropy<Simd256, Vector256<float>, Vector256<int>>(p, logProbs.Length);
            }
            if (Simd128.IsHardwareAccelerated)
            {
                return Entropy<Simd128, Vector128<float>, Vector128<int>>(p, logProbs.Length);
            }
        }
        return Reference.Entropy(logProbs);
    }

    internal static void Apply<TS, TF, TI>(float* values, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var max = Max<TS, TF, TI>(values, n);
        var sum = SumExp<TS, TF, TI>(values, n, max, values);
        VectorOps.Scale<TS, TF, TI>(values, 1f / sum, values, n);
    }

    internal static void Log<TS, TF, TI>(float* x, float* destination, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var max = Max<TS, TF, TI>(x, n);
        var logSum = MathF.Log(SumExp<TS, TF, TI>(x, n, max, null));
        TF m = TS.Create(max), l = TS.Create(logSum);
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            TS.Store(destination + i, TS.Subtract(TS.Subtract(TS.Load(x + i), m), l));
        }
        for (; i < n; i++)
        {
            destination[i] = x[i] - max - logSum;
        }
    }

    internal static float LogSumExp<TS, TF, TI>(float* x, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var max = Max<TS, TF, TI>(x, n);
        return float.IsInfinity(max) ? max : max + MathF.Log(SumExp<TS, TF, TI>(x, n, max, null));
    }

    internal static float Entropy<TS, TF, TI>(float* logProbs, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        // −∞ is raised to the lowest finite float, whose e^l is 0, so its term is 0 rather than 0·(−∞) = NaN;
        // the NaN-propagating maximum keeps a NaN a NaN.
        var lowest = TS.Create(float.MinValue);
        TF acc0 = TS.Zero, acc1 = TS.Zero;
        var i = 0;
        for (; i <= n - 2 * TS.Count; i += 2 * TS.Count)
        {
            TF l0 = TS.Max(TS.Load(logProbs + i), lowest), l1 = TS.Max(TS.Load(logProbs + i + TS.Count), lowest);
            acc0 = TS.MultiplyAdd(TS.Exp(l0), l0, acc0);
            acc1 = TS.MultiplyAdd(TS.Exp(l1), l1, acc1);
        }
        var sum = TS.Sum(TS.Add(acc0, acc1));
        for (; i < n; i++)
        {
            var l = MathF.Max(logProbs[i], float.MinValue);
            sum += MathF.Exp(l) * l;
        }
        return -sum;
    }

    // NaN-propagating maximum; -∞ for an empty span.
    private static float Max<TS, TF, TI>(float* x, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var max = float.NegativeInfinity;
        var i = 0;
        if (n >= TS.Count)
        {
            var m = TS.Load(x);
            for (i = TS.Count; i <= n - TS.Count; i += TS.Count)
            {
                m = TS.Max(m, TS.Load(x + i));
            }
            max = TS.MaxAcross(m);
        }
        for (; i < n; i++)
        {
            max = MathF.Max(max, x[i]);
        }
        return max;
    }

    // Σ e^(x[i] - max), also storing each term when exps is not null (softmax keeps them).
    private static float SumExp<TS, TF, TI>(float* x, int n, float max, float* exps)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var m = TS.Create(max);
        var acc = TS.Zero;
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            var e = TS.Exp(TS.Subtract(TS.Load(x + i), m));
            acc = TS.Add(acc, e);
            if (exps != null)
            {
                TS.Store(exps + i, e);
            }
        }
        var sum = TS.Sum(acc);
        for (; i < n; i++)
        {
            var e = MathF.Exp(x[i] - max);
            sum += e;
            if (exps != null)
            {
                exps[i] = e;
            }
        }
        return sum;
    }

    public static class Reference
    {
        public static void Apply(Span<float> values)
        {
            var max = Max(values);
            var sum = 0f;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = MathF.Exp(values[i] - max);
                sum += values[i];
            }
            var scale = 1f / sum;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] *= scale;
            }
        }

        public static void Log(ReadOnlySpan<float> x, Span<float> destination)
        {
            KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
            var max = Max(x);
            var logSum = MathF.Log(SumExp(x, max));
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = x[i] - max - logSum;
            }
        }

        public static float LogSumExp(ReadOnlySpan<float> x)
        {
            var max = Max(x);
            return float.IsInfinity(max) ? max : max + MathF.Log(SumExp(x, max));
        }

        public static float Entropy(ReadOnlySpan<float> logProbs)
        {
            var h = 0f;
            foreach (var l in logProbs)
            {
                if (l > float.NegativeInfinity || float.IsNaN(l))
                {
                    h -= MathF.Exp(l) * l;
                }
            }
            return h;
        }

        private static float Max(ReadOnlySpan<float> x)
        {
            var max = float.NegativeInfinity;
            foreach (var v in x)
            {
                max = MathF.Max(max, v);
            }
            return max;
        }

        private static float SumExp(ReadOnlySpan<float> x, float max)
        {
            var sum = 0f;
            foreach (var v in x)
            {
                sum += MathF.Exp(v - max);
            }
            return sum;
        }
    }
}
