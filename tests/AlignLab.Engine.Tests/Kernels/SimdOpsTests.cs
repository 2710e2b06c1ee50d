using System.Runtime.Intrinsics;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class SimdOpsTests
{
    [Fact]
    public void Scalar_half_conversion_matches_Fp16_for_all_65536_values()
    {
        for (var h = 0; h <= ushort.MaxValue; h++)
        {
            AssertSameFloat(Fp16.HalfToSingle((ushort)h), SimdOps.HalfToSingle((ushort)h), $"0x{h:X4}");
        }
    }

    [Fact]
    public void Scalar_half_conversion_keeps_nan_payloads_and_signs()
    {
        Assert.Equal(0x7F802000u, BitConverter.SingleToUInt32Bits(SimdOps.HalfToSingle(0x7C01))); // signalling NaN stays as is
        Assert.Equal(0xFFC00000u, BitConverter.SingleToUInt32Bits(SimdOps.HalfToSingle(0xFE00)));
        Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(SimdOps.HalfToSingle(0x8000)));
        Assert.Equal(MathF.Pow(2, -24), SimdOps.HalfToSingle(0x0001)); // smallest subnormal
        Assert.Equal(float.NegativeInfinity, SimdOps.HalfToSingle(0xFC00));
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestData))]
    public void Vector_half_and_bfloat16_loads_match_the_scalar_conversions_for_all_65536_values(int width)
    {
        RequireWidth(width);
        var bits = new ushort[65536];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = (ushort)i;
        }
        float[] halves = new float[bits.Length], bfloats = new float[bits.Length];
        fixed (ushort* pb = bits)
        fixed (float* ph = halves, pf = bfloats)
        {
            for (var i = 0; i < bits.Length; i += width / 32)
            {
                switch (width)
                {
                    case 512:
                        Vector512.Store(SimdOps.LoadHalf<Simd512, Vector512<float>, Vector512<int>>(pb + i), ph + i);
                        Vector512.Store(SimdOps.LoadBFloat16<Simd512, Vector512<float>, Vector512<int>>(pb + i), pf + i);
                        break;
                    case 256:
                        Vector256.Store(SimdOps.LoadHalf<Simd256, Vector256<float>, Vector256<int>>(pb + i), ph + i);
                        Vector256.Store(SimdOps.LoadBFloat16<Simd256, Vector256<float>, Vector256<int>>(pb + i), pf + i);
                        break;
                    default:
                        Vector128.Store(SimdOps.LoadHalf<Simd128, Vector128<float>, Vector128<int>>(pb + i), ph + i);
                        Vector128.Store(SimdOps.LoadBFloat16<Simd128, Vector128<float>, Vector128<int>>(pb + i), pf + i);
                        break;
                }
            }
        }
        for (var i = 0; i < bits.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(SimdOps.HalfToSingle((ushort)i)), BitConverter.SingleToUInt32Bits(halves[i]));
            Assert.Equal(BitConverter.SingleToUInt32Bits(Fp16.BFloat16ToSingle((ushort)i)), BitConverter.SingleToUInt32Bits(bfloats[i]));
        }
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestData))]
    public void SelectBits_puts_the_value_in_lanes_whose_bit_is_set(int width)
    {
        RequireWidth(width);
        const uint bits = 0b1010_0000_1100_0101;
        var lanes = width / 32;
        var actual = width switch
        {
            512 => SimdOps.SelectBits<Simd512, Vector512<float>, Vector512<int>>(bits, 16).ToArray(),
            256 => SimdOps.SelectBits<Simd256, Vector256<float>, Vector256<int>>(bits, 16).ToArray(),
            _ => SimdOps.SelectBits<Simd128, Vector128<float>, Vector128<int>>(bits, 16).ToArray(),
        };
        Assert.Equal(Enumerable.Range(0, lanes).Select(i => ((bits >> i) & 1) != 0 ? 16 : 0), actual);
    }
}

internal static class VectorArrays
{
    public static int[] ToArray(this Vector512<int> v) => Enumerable.Range(0, Vector512<int>.Count).Select(i => v.GetElement(i)).ToArray();
    public static int[] ToArray(this Vector256<int> v) => Enumerable.Range(0, Vector256<int>.Count).Select(i => v.GetElement(i)).ToArray();
    public static int[] ToArray(this Vector128<int> v) => Enumerable.Range(0, Vector128<int>.Count).Select(i => v.GetElement(i)).ToArray();
}
