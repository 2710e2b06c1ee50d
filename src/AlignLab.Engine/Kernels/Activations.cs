using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// SiLU, silu(x) = x / (1 + e^-x) as llama.cpp's ggml_silu_f32, and SwiGLU, silu(gate) · up (the
/// Llama feed-forward gate). Vector lanes use the runtime's vector exp, so results agree with
/// <see cref="Reference"/> to a few ulps.
/// </summary>
public static unsafe class Activations
{
    public static void Silu(ReadOnlySpan<float> x, Span<float> destination)
    {
        KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x, pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                SwiGlu<Simd512, Vector512<float>, Vector512<int>>(px, null, pd, x.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                SwiGlu<Simd256, Vector256<float>, Vector256<int>>(px, null, pd, x.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                SwiGlu<Simd128, Vector128<float>, Vector128<int>>(px, null, pd, x.Length);
            }
            else
            {
                Reference.Silu(x, destination);
            }
        }
    }

    public static void SwiGlu(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> destination)
    {
        KernelGuard.SameLength(gate.Length, up.Length, nameof(up));
        KernelGuard.SameLength(gate.Length, destination.Length, nameof(destination));
        fixed (float* pg = gate, pu = up, pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                SwiGlu<Simd512, Vector512<float>, Vector512<int>>(pg, pu, pd, gate.Length);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                SwiGlu<Simd256, Vector256<float>, Vector256<int>>(pg, pu, pd, gate.Length);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                SwiGlu<Simd128, Vector128<float>, Vector128<int>>(pg, pu, pd, gate.Length);
            }
            else
            {
                Reference.SwiGlu(gate, up, destination);
            }
        }
    }

    /// <summary>silu(gate) · up, or plain silu(gate) when <paramref name="up"/> is null.</summary>
    internal static void SwiGlu<TS, TF, TI>(float* gate, float* up, float* destination, int n)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        TF one = TS.Create(1f), zero = TS.Zero;
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count)
        {
            var g = TS.Load(gate + i);
            var silu = TS.Divide(g, TS.Add(one, TS.Exp(TS.Subtract(zero, g))));
            TS.Store(destination + i, up == null ? silu : TS.Multiply(silu, TS.Load(up + i)));
        }
        for (; i < n; i++)
        {
            destination[i] = up == null ? SiluScalar(gate[i]) : SiluScalar(gate[i]) * up[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SiluScalar(float x) => x / (1f + MathF.Exp(-x));

    public static class Reference
    {
        public static void Silu(ReadOnlySpan<float> x, Span<float> destination)
        {
            KernelGuard.SameLength(x.Length, destination.Length, nameof(destination));
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = SiluScalar(x[i]);
            }
        }

        public static void SwiGlu(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> destination)
        {
            KernelGuard.SameLength(gate.Length, up.Length, nameof(up));
            KernelGuard.SameLength(gate.Length, destination.Length, nameof(destination));
            for (var i = 0; i < gate.Length; i++)
            {
                destination[i] = SiluScalar(gate[i]) * up[i];
            }
        }
    }
}
