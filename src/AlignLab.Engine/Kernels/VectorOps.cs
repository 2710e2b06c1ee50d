using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Level-1 vector operations on float spans: dot product, add, scale, axpy. Each public method
/// picks the widest hardware-accelerated width (512, 256, 128 bits) and falls back to its
/// <see cref="Reference"/> twin; the width-generic bodies are internal so tests can run every width.
/// A destination may be one of the inputs itself, but must not partly overlap one.
/// </summary>
public static unsafe class VectorOps
{
    /// <summary>Σ x[i]·y[i], accumulated in float.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        KernelGuard.SameLength(x.Length, y.Length, nameof(y));
        fixed (float* px = x, py = y)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                return Dot<Simd512, Vector512<float>, Vector512<int>>(px, py, x.Length);
            }
            if (Simd256.IsHardwareAccelerated)
            {
                return Dot<Simd256, Vector256<float>, Vector256<int>>(px, py, x.Length);
            }
            if (Simd128.IsHardwareAccelerated)
            {
                return Dot<Simd128, Vector128<float>, Vector128<int>>(px, py, x.Length);
            }
        }
        return Reference.Dot(x, y);
    }

    /// <summary>destination[i] = x[i] + y[i].</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        KernelGuard.SameLength(x.Length, y.Length, nameof(y));
        KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x, py = y, pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Add<Simd512, Vector512<float>, Vector512<int>>(px, py, pd, x.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Add<Simd256, Vector256<float>, Vector256<int>>(px, py, pd, x.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Add<Simd128, Vector128<float>, Vector128<int>>(px, py, pd, x.Length);
            }
            else
            {
                Reference.Add(x, y, destination);
            }
        }
    }

    /// <summary>destination[i] = alpha · x[i].</summary>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x, pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Scale<Simd512, Vector512<float>, Vector512<int>>(px, alpha, pd, x.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Scale<Simd256, Vector256<float>, Vector256<int>>(px, alpha, pd, x.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Scale<Simd128, Vector128<float>, Vector128<int>>(px, alpha, pd, x.Length);
            }
            else
            {
                Reference.Scale(x, alpha, destination);
            }
        }
    }

    /// <summary>y[i] = alpha · x[i] + y[i], fused (one rounding), so every width gives the same bits.</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.SameLength(x.Length, y.Length, nameof(y));
        fixed (float* px = x, py = y)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                Axpy<Simd512, Vector512<float>, Vector512<int>>(alpha, px, py, x.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                Axpy<Simd256, Vector256<float>, Vector256<int>>(alpha, px, py, x.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                Axpy<Simd128, Vector128<float>, Vector128<int>>(alpha, px, py, x.Length);
            }
            else
            {
                Reference.Axpy(alpha, x, y);
            }
        }
    }

    internal static float Dot<TS, TF, TI>(float* x, float* y, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        => WeightRow.DotElements<F32Loader, TS, TF, TI>((byte*)x, y, n);

    internal static void Add<TS, TF, TI>(float* x, float* y, float* destination, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            TS.Store(destination + i, TS.Add(TS.Load(x + i), TS.Load(y + i)));
        }
        for (; i < n; i++)
        {
            destination[i] = x[i] + y[i];
        }
    }

    internal static void Scale<TS, TF, TI>(float* x, float alpha, float* destination, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var a = TS.Create(alpha);
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            TS.Store(destination + i, TS.Multiply(TS.Load(x + i), a));
        }
        for (; i < n; i++)
        {
            destination[i] = x[i] * alpha;
        }
    }

    internal static void Axpy<TS, TF, TI>(float alpha, float* x, float* y, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var a = TS.Create(alpha);
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            TS.Store(y + i, TS.MultiplyAdd(a, TS.Load(x + i), TS.Load(y + i)));
        }
        for (; i < n; i++)
        {
            y[i] = MathF.FusedMultiplyAdd(alpha, x[i], y[i]);
        }
    }

    /// <summary>Plain scalar twins, one element at a time in index order.</summary>
    public static class Reference
    {
        public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            KernelGuard.SameLength(x.Length, y.Length, nameof(y));
            var sum = 0f;
            for (var i = 0; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }
            return sum;
        }

        public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        {
            KernelGuard.SameLength(x.Length, y.Length, nameof(y));
            KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = x[i] + y[i];
            }
        }

        public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
        {
            KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = x[i] * alpha;
            }
        }

        public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
        {
            KernelGuard.SameLength(x.Length, y.Length, nameof(y));
            for (var i = 0; i < x.Length; i++)
            {
                y[i] = MathF.FusedMultiplyAdd(alpha, x[i], y[i]);
            }
        }
    }
}
