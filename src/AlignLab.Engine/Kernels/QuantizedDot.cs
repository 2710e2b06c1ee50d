using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Integer dot products of stored weight rows with activations quantized once by
/// <see cref="ActivationQuantizer"/> (llama.cpp's strategy "b", its ggml_vec_dot_*_q8_* kernels):
/// Q8_0 and Q4_0 weights against Q8_0 activations, Q4_K, Q5_K and Q6_K against Q8_K. Products are
/// summed exactly in integers per block and scaled once, so the work per weight is a few byte
/// operations instead of a convert and an FMA; the price is the activations' 8-bit rounding (each
/// to 1/127 of its block's largest magnitude, as llama.cpp). The float path <see cref="WeightRow"/> is
/// the exact alternative.
/// </summary>
/// <remarks>
/// The vector path is AVX2 (vpmaddubsw + vpmaddwd, as llama.cpp's AVX2 kernels; .NET 10 exposes no
/// AVX-512 VNNI, and 512-bit integer ops are double-pumped on Zen 4, so 256 bits lose nothing there).
/// Without AVX2 the scalar twin runs. K-quant blocks are reduced to one exact integer per
/// super-block and then scaled in the same float order as the twin, so for them both paths agree to
/// the bit; Q8_0/Q4_0 keep float lanes across blocks and agree within rounding.
/// </remarks>
public static unsafe class QuantizedDot
{
    public static bool IsSupported(GgmlType weightType) => weightType is GgmlType.Q8_0 or GgmlType.Q4_0
        or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K;

    /// <summary>The activation format llama.cpp pairs with <paramref name="weightType"/> (its vec_dot_type).</summary>
    public static GgmlType ActivationType(GgmlType weightType) => weightType switch
    {
        GgmlType.Q8_0 or GgmlType.Q4_0 => GgmlType.Q8_0,
        GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K => GgmlType.Q8_K,
        _ => throw new NotSupportedException($"no integer dot product for ggml type {weightType}"),
    };

    /// <summary>dot(row, x) for <paramref name="columns"/> values, x already quantized to <see cref="ActivationType"/>.</summary>
    public static float Dot(GgmlType weightType, ReadOnlySpan<byte> row, ReadOnlySpan<byte> quantizedX, int columns)
    {
        Check(weightType, row.Length, quantizedX.Length, columns);
        fixed (byte* pw = row, px = quantizedX)
        {
            return Avx2.IsSupported ? DotAvx2(weightType, pw, px, columns) : DotScalar(weightType, pw, px, columns);
        }
    }

    internal static void Check(GgmlType weightType, int rowBytes, int quantizedBytes, int columns)
    {
        KernelGuard.SameLength(ActivationQuantizer.QuantizedBytes(ActivationType(weightType), columns), quantizedBytes, "quantizedX");
        WeightRow.CheckRow(weightType, rowBytes, columns);
    }

    /// <summary>y[r] = dot(row r, x) for r in [first, end).</summary>
    internal static void DotRows(GgmlType weightType, byte* weights, long rowBytes, int first, int end, byte* quantizedX, int columns, float* y)
    {
        for (var r = first; r < end; r++)
        {
            y[r] = Avx2.IsSupported
                ? DotAvx2(weightType, weights + r * rowBytes, quantizedX, columns)
                : DotScalar(weightType, weights + r * rowBytes, quantizedX, columns);
        }
    }

    internal static float DotAvx2(GgmlType weightType, byte* w, byte* a, int columns) => weightType switch
    {
        GgmlType.Q8_0 => Q8_0Avx2(w, a, columns / 32),
        GgmlType.Q4_0 => Q4_0Avx2(w, a, columns / 32),
        GgmlType.Q4_K => Q4_KAvx2(w, a, columns / 256),
        GgmlType.Q5_K => Q5_KAvx2(w, a, columns / 256),
        _ => Q6_KAvx2(w, a, columns / 256),
    };

    internal static float DotScalar(GgmlType weightType, byte* w, byte* a, int columns) => weightType switch
    {
        GgmlType.Q8_0 or GgmlType.Q4_0 => LegacyScalar(weightType, w, a, columns / 32),
        _ => KQuantScalar(weightType, w, a, columns / 256),
    };

    // Σ w·a over 32 signed bytes as 8 int lanes. vpmaddubsw multiplies unsigned by signed bytes, so
    // |w| takes the unsigned side and a gets w's sign; pairs cannot saturate int16 because
    // |a| ≤ 127 (activations never quantize to -128) and |w| ≤ 128: 2·128·127 < 32767.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MultiplySum(Vector256<sbyte> w, Vector256<sbyte> a)
        => Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Avx2.Abs(w), Avx2.Sign(a, w)), Vector256.Create((short)1));

    // Σ q·a for unsigned q ≤ 63 (no saturation: 2·63·127 < 32767), then weighted by int16 scales per pair.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MultiplySumScaled(Vector256<byte> q, byte* a, Vector256<short> scales)
        => Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q, Vector256.Load((sbyte*)a)), scales);

    private static float Q8_0Avx2(byte* w, byte* a, int blocks)
    {
        var acc = Vector256<float>.Zero;
        for (var b = 0; b < blocks; b++, w += 34, a += 34)
        {
            var sum = MultiplySum(Vector256.Load((sbyte*)(w + 2)), Vector256.Load((sbyte*)(a + 2)));
            acc = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(sum), Vector256.Create(SimdOps.ReadHalf(w) * SimdOps.ReadHalf(a)), acc);
        }
        return Vector256.Sum(acc);
    }

    private static float Q4_0Avx2(byte* w, byte* a, int blocks)
    {
        var acc = Vector256<float>.Zero;
        var low = Vector128.Create((byte)0xF);
        for (var b = 0; b < blocks; b++, w += 18, a += 34)
        {
            var bits = Vector128.Load(w + 2);
            var q = Vector256.Create(bits & low, Vector128.ShiftRightLogical(bits, 4)).AsSByte() - Vector256.Create((sbyte)8);
            var sum = MultiplySum(q, Vector256.Load((sbyte*)(a + 2)));
            acc = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(sum), Vector256.Create(SimdOps.ReadHalf(w) * SimdOps.ReadHalf(a)), acc);
        }
        return Vector256.Sum(acc);
    }

    private static float Q4_KAvx2(byte* w, byte* a, int blocks)
    {
        var acc = 0f;
        var low = Vector256.Create((byte)0xF);
        for (var b = 0; b < blocks; b++, w += 144, a += ActivationQuantizer.Q8_KBlockBytes)
        {
            var (scales, mins) = K4Scales.Unpack(w + 4);
            var sums = Vector256<int>.Zero;
            for (var j = 0; j < 4; j++)
            {
                var bits = Vector256.Load(w + 16 + 32 * j);
                sums += MultiplySumScaled(bits & low, a + 4 + 64 * j, Vector256.Create((short)K4Scales.Get(scales, 2 * j)));
                sums += MultiplySumScaled(Vector256.ShiftRightLogical(bits, 4), a + 4 + 64 * j + 32, Vector256.Create((short)K4Scales.Get(scales, 2 * j + 1)));
            }
            acc += KQuantBlockK4(w, a, Vector256.Sum(sums), MinSumAvx2(a, mins));
        }
        return acc;
    }

    private static float Q5_KAvx2(byte* w, byte* a, int blocks)
    {
        var acc = 0f;
        var low = Vector256.Create((byte)0xF);
        var sixteen = Vector256.Create((byte)16);
        for (var b = 0; b < blocks; b++, w += 176, a += ActivationQuantizer.Q8_KBlockBytes)
        {
            var (scales, mins) = K4Scales.Unpack(w + 4);
            var qh = Vector256.Load(w + 16);
            var sums = Vector256<int>.Zero;
            for (var j = 0; j < 4; j++)
            {
                var bits = Vector256.Load(w + 48 + 32 * j);
                var bit1 = Vector256.Create((byte)(1 << (2 * j)));
                var bit2 = Vector256.Create((byte)(2 << (2 * j)));
                var lo = (bits & low) | (Vector256.Equals(qh & bit1, bit1) & sixteen);
                var hi = Vector256.ShiftRightLogical(bits, 4) | (Vector256.Equals(qh & bit2, bit2) & sixteen);
                sums += MultiplySumScaled(lo, a + 4 + 64 * j, Vector256.Create((short)K4Scales.Get(scales, 2 * j)));
                sums += MultiplySumScaled(hi, a + 4 + 64 * j + 32, Vector256.Create((short)K4Scales.Get(scales, 2 * j + 1)));
            }
            acc += KQuantBlockK4(w, a, Vector256.Sum(sums), MinSumAvx2(a, mins));
        }
        return acc;
    }

    private static float Q6_KAvx2(byte* w, byte* a, int blocks)
    {
        var acc = 0f;
        Vector256<byte> low = Vector256.Create((byte)0xF), high = Vector256.Create((byte)0x30);
        for (var b = 0; b < blocks; b++, w += 210, a += ActivationQuantizer.Q8_KBlockBytes)
        {
            var sc = (sbyte*)(w + 192);
            var sums = Vector256<int>.Zero;
            for (var n = 0; n < 2; n++)
            {
                // The four 32-element groups of this half: q = low nibble or high nibble of ql, plus
                // two bits of qh moved to bits 4-5. Values 0..63; the -32 offset is applied via bsums.
                Vector256<byte> ql0 = Vector256.Load(w + 64 * n), ql1 = Vector256.Load(w + 64 * n + 32), qh = Vector256.Load(w + 128 + 32 * n);
                var q8 = a + 4 + 128 * n;
                sums += MultiplySumScaled((ql0 & low) | (Vector256.ShiftLeft(qh, 4) & high), q8, Q6Scales(sc, 8 * n));
                sums += MultiplySumScaled((ql1 & low) | (Vector256.ShiftLeft(qh, 2) & high), q8 + 32, Q6Scales(sc, 8 * n + 2));
                sums += MultiplySumScaled(Vector256.ShiftRightLogical(ql0, 4) | (qh & high), q8 + 64, Q6Scales(sc, 8 * n + 4));
                sums += MultiplySumScaled(Vector256.ShiftRightLogical(ql1, 4) | (Vector256.ShiftRightLogical(qh, 2) & high), q8 + 96, Q6Scales(sc, 8 * n + 6));
            }
            // The -32 offset: Σ_g scale_g · 32 · bsum_g, folded into the lanes before the one horizontal sum.
            var offsets = Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(sc), Vector256.Load((short*)(a + 4 + 256)));
            acc += Q6KBlock(w, a, Vector256.Sum(sums - Vector256.ShiftLeft(offsets, 5)));
        }
        return acc;
    }

    // Scales for one 32-element group: int16 lanes 0-7 cover its first 16 elements, 8-15 the rest.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Q6Scales(sbyte* sc, int group)
        => Vector256.Create(Vector128.Create((short)sc[group]), Vector128.Create((short)sc[group + 1]));

    // Σ min_j · (sum of the 32 activation quants of sub-block j), from the activation's bsums (16 sums of 16).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MinSumAvx2(byte* a, ulong mins)
    {
        var subBlockSums = Avx2.MultiplyAddAdjacent(Vector256.Load((short*)(a + 4 + 256)), Vector256.Create((short)1));
        return Vector256.Sum(subBlockSums * Avx2.ConvertToVector256Int32(Vector128.CreateScalar(mins).AsByte()));
    }

    private static int MinSumScalar(byte* a, ulong mins)
    {
        var bsums = (short*)(a + 4 + 256);
        var minSum = 0;
        for (var j = 0; j < 8; j++)
        {
            minSum += K4Scales.Get(mins, j) * (bsums[2 * j] + bsums[2 * j + 1]);
        }
        return minSum;
    }

    // A Q4_K/Q5_K super-block's value: d·Σ scale·Σ q·a - dmin·Σ min·Σ a, in the same float order on both paths.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float KQuantBlockK4(byte* w, byte* a, int scaledSum, int minSum)
    {
        var da = Unsafe.ReadUnaligned<float>(a);
        return da * SimdOps.ReadHalf(w) * scaledSum - da * SimdOps.ReadHalf(w + 2) * minSum;
    }

    // A Q6_K super-block's value from Σ_g scale_g · Σ (q - 32)·a, the same on both paths.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Q6KBlock(byte* w, byte* a, int scaledSum)
        => Unsafe.ReadUnaligned<float>(a) * SimdOps.ReadHalf(w + 208) * scaledSum;

    private static float LegacyScalar(GgmlType weightType, byte* w, byte* a, int blocks)
    {
        var weightBytes = weightType == GgmlType.Q8_0 ? 34 : 18;
        var sum = 0f;
        for (var b = 0; b < blocks; b++, w += weightBytes, a += 34)
        {
            var qa = (sbyte*)(a + 2);
            var dot = 0;
            for (var j = 0; j < 32; j++)
            {
                var q = weightType == GgmlType.Q8_0 ? ((sbyte*)(w + 2))[j] : (j < 16 ? w[2 + j] & 0xF : w[2 + j - 16] >> 4) - 8;
                dot += q * qa[j];
            }
            sum += dot * (SimdOps.ReadHalf(w) * SimdOps.ReadHalf(a));
        }
        return sum;
    }

    private static float KQuantScalar(GgmlType weightType, byte* w, byte* a, int blocks)
    {
        var weightBytes = GgmlTypeInfo.Get(weightType).BytesPerBlock;
        var sum = 0f;
        for (var b = 0; b < blocks; b++, w += weightBytes, a += ActivationQuantizer.Q8_KBlockBytes)
        {
            var qa = (sbyte*)(a + 4);
            var scaledSum = 0;
            if (weightType == GgmlType.Q6_K)
            {
                for (var e = 0; e < 256; e++)
                {
                    int n = e / 128, r = e % 128, l = r % 32, k = r / 32;
                    var ql = w[64 * n + l + (k & 1) * 32];
                    var q = (k < 2 ? ql & 0xF : ql >> 4) | (((w[128 + 32 * n + l] >> (2 * k)) & 3) << 4);
                    scaledSum += ((sbyte*)(w + 192))[8 * n + 2 * k + l / 16] * (q - 32) * qa[e];
                }
                sum += Q6KBlock(w, a, scaledSum);
                continue;
            }
            var (scales, mins) = K4Scales.Unpack(w + 4);
            for (var e = 0; e < 256; e++)
            {
                int j = e / 64, l = e % 32;
                var high = (e / 32) % 2 == 1;
                var q = weightType == GgmlType.Q4_K
                    ? (high ? w[16 + 32 * j + l] >> 4 : w[16 + 32 * j + l] & 0xF)
                    : (high ? w[48 + 32 * j + l] >> 4 : w[48 + 32 * j + l] & 0xF) | (((w[16 + l] >> (e / 32)) & 1) << 4);
                scaledSum += K4Scales.Get(scales, e / 32) * q * qa[e];
            }
            sum += KQuantBlockK4(w, a, scaledSum, MinSumScalar(a, mins));
        }
        return sum;
    }

    /// <summary>The scalar twin: exact integer sums per block, scaled as the vector path scales them.</summary>
    public static class Reference
    {
        public static float Dot(GgmlType weightType, ReadOnlySpan<byte> row, ReadOnlySpan<byte> quantizedX, int columns)
        {
            Check(weightType, row.Length, quantizedX.Length, columns);
            fixed (byte* pw = row, px = quantizedX)
            {
                return DotScalar(weightType, pw, px, columns);
            }
        }
    }
}
