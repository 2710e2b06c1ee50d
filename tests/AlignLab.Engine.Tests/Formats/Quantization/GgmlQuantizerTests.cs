using System.Buffers.Binary;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Tests.Formats.Quantization;

public sealed class GgmlQuantizerTests
{
    [Fact]
    public void Half_conversion_rounds_to_nearest_even_and_keeps_nan_and_infinity()
    {
        Assert.Equal(0x3C00, Fp16.SingleToHalf(1f));
        Assert.Equal(0x3C00, Fp16.SingleToHalf(1f + MathF.Pow(2, -11)));     // halfway: to even (down)
        Assert.Equal(0x3C02, Fp16.SingleToHalf(1f + 3 * MathF.Pow(2, -11))); // halfway: to even (up)
        Assert.Equal(0x7BFF, Fp16.SingleToHalf(65519f));
        Assert.Equal(0x7C00, Fp16.SingleToHalf(65520f));                     // overflows to +inf
        Assert.Equal(0xFC00, Fp16.SingleToHalf(float.NegativeInfinity));
        Assert.Equal(0x8000, Fp16.SingleToHalf(-0f));
        Assert.True(float.IsNaN(Fp16.HalfToSingle(Fp16.SingleToHalf(float.NaN))));
        Assert.Equal(0.333251953125f, Fp16.HalfToSingle(Fp16.SingleToHalf(1f / 3)));
    }

    [Fact]
    public void BFloat16_conversion_rounds_to_nearest_even_and_keeps_nan()
    {
        Assert.Equal(0x3F80, Fp16.SingleToBFloat16(1f));
        Assert.Equal(0x3F80, Fp16.SingleToBFloat16(1f + MathF.Pow(2, -8)));     // halfway: to even (down)
        Assert.Equal(0x3F82, Fp16.SingleToBFloat16(1f + 3 * MathF.Pow(2, -8))); // halfway: to even (up)
        Assert.Equal(0x3F81, Fp16.SingleToBFloat16(1f + 1.5f * MathF.Pow(2, -8)));
        Assert.Equal(0xC000, Fp16.SingleToBFloat16(-2f));
        Assert.Equal(0x7F80, Fp16.SingleToBFloat16(float.PositiveInfinity));
        Assert.Equal(0x7F80, Fp16.SingleToBFloat16(float.MaxValue)); // rounds up past the largest bf16
        // A NaN whose payload sits only in the bits truncation drops must not become infinity.
        var lowPayloadNan = BitConverter.UInt32BitsToSingle(0x7F800001);
        Assert.Equal(0x7FC0, Fp16.SingleToBFloat16(lowPayloadNan));
        Assert.Equal(0xFFC0, Fp16.SingleToBFloat16(BitConverter.UInt32BitsToSingle(0xFF800001)));
        Assert.Equal(1f, Fp16.BFloat16ToSingle(0x3F80));
    }

    [Fact]
    public void Q8_0_scale_is_amax_over_127_and_rounds_halves_away_from_zero()
    {
        var x = new float[32];
        x[0] = 127f;   // amax: d = 1
        x[1] = -127f;
        x[2] = 63.5f;  // -> 64
        x[3] = -0.5f;  // -> -1
        x[4] = 2.5f;   // -> 3
        x[5] = 2.4f;   // -> 2

        var block = GgmlQuantizer.Quantize(GgmlType.Q8_0, x);

        Assert.Equal(34, block.Length);
        Assert.Equal(0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(block));
        Assert.Equal([127, -127, 64, -1, 3, 2, 0], block.AsSpan(2, 7).ToArray().Select(b => (int)(sbyte)b));
    }

    [Fact]
    public void Q8_0_of_zeros_has_zero_scale_and_quants()
        => Assert.All(GgmlQuantizer.Quantize(GgmlType.Q8_0, new float[64]), b => Assert.Equal(0, b));

    [Fact]
    public void Q4_0_maps_the_largest_magnitude_to_quant_zero_and_truncates_after_adding_8_5()
    {
        var x = new float[32];
        x[0] = -8f;   // the signed max: d = -8 / -8 = 1, so q = trunc(x + 8.5), capped at 15
        x[1] = 7f;    // 15
        x[2] = 7.4f;  // trunc(15.9) = 15
        x[3] = -0.5f; // trunc(8.0) = 8
        x[4] = -0.6f; // trunc(7.9) = 7
        x[16] = 3f;   // 11, in the high nibble of byte 0

        var block = GgmlQuantizer.Quantize(GgmlType.Q4_0, x);

        Assert.Equal(18, block.Length);
        Assert.Equal(0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(block));
        Assert.Equal(0 | (11 << 4), block[2]);
        Assert.Equal(15 | (8 << 4), block[3]); // x[1], x[17] = 0 -> 8
        Assert.Equal(15 | (8 << 4), block[4]);
        Assert.Equal(8 | (8 << 4), block[5]);
        Assert.Equal(7 | (8 << 4), block[6]);
    }

    [Fact]
    public void Q4_0_clamps_the_opposite_extreme_to_15()
    {
        var x = new float[32];
        x[0] = 8f;  // d = -1: x = 8 -> trunc(0.5) = 0
        x[1] = -8f; // trunc(16.5) = 16, capped at 15, which decodes to (15 - 8) * d = -7
        var block = GgmlQuantizer.Quantize(GgmlType.Q4_0, x);
        Assert.Equal(0xBC00, BinaryPrimitives.ReadUInt16LittleEndian(block)); // -1.0
        Assert.Equal(0x80, block[2]);
        Assert.Equal(0x8F, block[3]);
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 0.5)]
    [InlineData(GgmlType.Q4_0, 1.0)]
    [InlineData(GgmlType.Q4_1, 0.5)]
    [InlineData(GgmlType.Q5_0, 1.0)]
    [InlineData(GgmlType.Q5_1, 0.5)]
    public void Quantize_then_dequantize_stays_within_the_step_bound(GgmlType type, double stepsOfError)
    {
        var rng = new Random(42);
        var x = new float[32 * 64];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1) * (1 + i / 32); // blocks of growing range
        }

        var y = new float[x.Length];
        GgmlDequantizer.Dequantize(type, GgmlQuantizer.Quantize(type, x), y);

        var levels = type switch { GgmlType.Q8_0 => 127f, GgmlType.Q4_0 => 8f, GgmlType.Q5_0 => 16f, GgmlType.Q4_1 => 15f, _ => 31f };
        for (var b = 0; b < x.Length / 32; b++)
        {
            var block = x.AsSpan(b * 32, 32);
            var amax = 0f;
            float min = float.MaxValue, max = float.MinValue;
            foreach (var v in block)
            {
                amax = MathF.Max(amax, MathF.Abs(v));
                min = MathF.Min(min, v);
                max = MathF.Max(max, v);
            }
            // The step is the format's d; the f16 rounding of d and the min adds a little on top.
            var step = type is GgmlType.Q4_1 or GgmlType.Q5_1 ? (max - min) / levels : amax / levels;
            var bound = (float)stepsOfError * step * 1.01f + amax * 2e-3f;
            for (var i = 0; i < 32; i++)
            {
                Assert.True(MathF.Abs(y[b * 32 + i] - block[i]) <= bound, $"{type} block {b} element {i}: {block[i]} -> {y[b * 32 + i]} (bound {bound})");
            }
        }
    }

    [Fact]
    public void F16_and_BF16_tensors_convert_each_value()
    {
        float[] x = [1f, -2.5f, 1f / 3, float.NaN, 70000f];
        var f16 = GgmlQuantizer.Quantize(GgmlType.F16, x);
        var bf16 = GgmlQuantizer.Quantize(GgmlType.BF16, x);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(Fp16.SingleToHalf(x[i]), BinaryPrimitives.ReadUInt16LittleEndian(f16.AsSpan(2 * i)));
            Assert.Equal(Fp16.SingleToBFloat16(x[i]), BinaryPrimitives.ReadUInt16LittleEndian(bf16.AsSpan(2 * i)));
        }
    }

    [Fact]
    public void Unsupported_types_cannot_be_produced_and_lengths_are_checked()
    {
        Assert.True(GgmlQuantizer.CanQuantize(GgmlType.Q4_K));
        Assert.False(GgmlQuantizer.CanQuantize(GgmlType.Q8_K));
        Assert.False(GgmlQuantizer.CanQuantize(GgmlType.IQ4_XS));
        Assert.Throws<NotSupportedException>(() => GgmlQuantizer.Quantize(GgmlType.Q8_K, new float[256]));
        Assert.Throws<ArgumentException>(() => GgmlQuantizer.Quantize(GgmlType.Q6_K, new float[255]));
        Assert.Throws<ArgumentException>(() => GgmlQuantizer.Quantize(GgmlType.Q4_K, new float[256], new byte[145]));
        Assert.Throws<ArgumentException>(() => GgmlQuantizer.Quantize(GgmlType.Q8_0, new float[33]));
        Assert.Throws<ArgumentException>(() => GgmlQuantizer.Quantize(GgmlType.Q8_0, new float[32], new byte[33]));
    }
}
