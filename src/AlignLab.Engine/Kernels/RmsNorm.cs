using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// RMSNorm: destination[i] = (x[i] · 1/√(mean(x²) + ε)) · weight[i], the multiplications in that order
/// and unfused, as llama.cpp's rms_norm followed by its mul. The sum of squares is a float dot of x
/// with itself (llama.cpp sums in double; the scale differs by at most an ulp or so).
/// </summary>
public static unsafe class RmsNorm
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float epsilon, Span<float> destination)
    {
        KernelGuard.SameLength(x.Length, weight.Length, nameof(weight));
        KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x, pw = weight, pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Apply<Simd512, Vector512<float>, Vector512<int>>(px, pw, epsilon, pd, x.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Apply<Simd256, Vector256<float>, Vector256<int>>(px, pw, epsilon, pd, x.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Apply<Simd128, Vector128<float>, Vector128<int>>(px, pw, epsilon, pd, x.Length);
            }
            else
            {
                Reference.Apply(x, weight, epsilon, destination);
            }
        }
    }

    internal static void Apply<TS, TF, TI>(float* x, float* weight, float epsilon, float* destination, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var scale = InverseRms(VectorOps.Dot<TS, TF, TI>(x, x, n), n, epsilon);
        var s = TS.Create(scale);
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            TS.Store(destination + i, TS.Multiply(TS.Multiply(TS.Load(x + i), s), TS.Load(weight + i)));
        }
        for (; i < n; i++)
        {
            destination[i] = x[i] * scale * weight[i];
        }
    }

    private static float InverseRms(float sumOfSquares, int n, float epsilon) => 1f / MathF.Sqrt(sumOfSquares / n + epsilon);

    public static class Reference
    {
        public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float epsilon, Span<float> destination)
        {
            KernelGuard.SameLength(x.Length, weight.Length, nameof(weight));
            KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
            var scale = InverseRms(VectorOps.Reference.Dot(x, x), x.Length, epsilon);
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = x[i] * scale * weight[i];
            }
        }
    }
}
