using System.Buffers.Binary;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Tests.Formats.Quantization;

/// <summary>
/// Each block is built byte by byte from the layout in llama.cpp's ggml-common.h, and each expected
/// value is worked out here from that layout (element by element), not by calling the dequantizer.
/// Scales are powers of two and small integers, so every product is exact and equality is exact.
/// </summary>
public sealed class GgmlDequantizerTests
{
    private const ushort HalfOne = 0x3C00;     // 1.0
    private const ushort HalfHalf = 0x3800;    // 0.5
    private const ushort HalfQuarter = 0x3400; // 0.25
    private const ushort HalfTwo = 0x4000;     // 2.0

    private static float[] Run(GgmlType type, byte[] block, int count)
    {
        var y = new float[count];
        GgmlDequantizer.Dequantize(type, block, y);
        return y;
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void F32_F16_and_BF16_widen_exactly()
    {
        Assert.Equal([1.5f, -2f], Run(GgmlType.F32, [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0], 2));
        Assert.Equal([1f, -2f, 65504f, 5.9604645e-8f], Run(GgmlType.F16, [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00], 4));
        Assert.Equal([1f, -2f, 3.140625f], Run(GgmlType.BF16, [0x80, 0x3F, 0x00, 0xC0, 0x49, 0x40], 3));
        Assert.True(float.IsNaN(Run(GgmlType.F16, [0x00, 0x7E], 1)[0]));
        Assert.True(float.IsPositiveInfinity(Run(GgmlType.BF16, [0x80, 0x7F], 1)[0]));
    }

    [Fact]
    public void Q8_0_is_int8_times_d()
    {
        var block = new byte[34];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfHalf);
        for (var j = 0; j < 32; j++)
        {
            block[2 + j] = (byte)(sbyte)(j - 16);
        }
        block[2 + 31] = 0x80; // -128

        var y = Run(GgmlType.Q8_0, block, 32);

        Assert.Equal(-8f, y[0]);   // (0 - 16) * 0.5
        Assert.Equal(0f, y[16]);
        Assert.Equal(7f, y[30]);   // 14 * 0.5
        Assert.Equal(-64f, y[31]); // -128 * 0.5
    }

    [Fact]
    public void Q4_0_low_nibbles_are_the_first_half_and_high_nibbles_the_second()
    {
        var block = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfTwo);
        var qs = RandomBytes(16, 1);
        qs[0] = 0xF0; // element 0: nibble 0 -> (0-8)*2 = -16; element 16: nibble 15 -> 14
        qs.CopyTo(block, 2);

        var y = Run(GgmlType.Q4_0, block, 32);

        Assert.Equal(-16f, y[0]);
        Assert.Equal(14f, y[16]);
        for (var e = 0; e < 32; e++)
        {
            var q = e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4;
            Assert.Equal((q - 8) * 2f, y[e]);
        }
    }

    [Fact]
    public void Q4_1_adds_the_min()
    {
        var block = new byte[20];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfHalf);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), 0xC000); // m = -2
        var qs = RandomBytes(16, 2);
        qs[3] = 0x9F; // element 3: 15*0.5-2 = 5.5; element 19: 9*0.5-2 = 2.5
        qs.CopyTo(block, 4);

        var y = Run(GgmlType.Q4_1, block, 32);

        Assert.Equal(5.5f, y[3]);
        Assert.Equal(2.5f, y[19]);
        for (var e = 0; e < 32; e++)
        {
            var q = e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4;
            Assert.Equal(q * 0.5f - 2f, y[e]);
        }
    }

    [Fact]
    public void Q5_0_takes_the_fifth_bit_of_element_e_from_bit_e_of_qh()
    {
        var block = new byte[22];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfOne);
        const uint qh = 0x8001_0003; // elements 0, 1, 16 and 31 have the fifth bit
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(2), qh);
        var qs = RandomBytes(16, 3);
        qs[0] = 0x00;
        qs[2] = 0x00;
        qs.CopyTo(block, 6);

        var y = Run(GgmlType.Q5_0, block, 32);

        Assert.Equal(0f, y[0]);    // (0 | 16) - 16
        Assert.Equal(0f, y[16]);   // (0 | 16) - 16
        Assert.Equal(-16f, y[2]);  // 0 - 16
        Assert.Equal(-16f, y[18]);
        for (var e = 0; e < 32; e++)
        {
            var q = (e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4) | (int)(((qh >> e) & 1) << 4);
            Assert.Equal((float)(q - 16), y[e]);
        }
    }

    [Fact]
    public void Q5_1_is_five_bit_times_d_plus_min()
    {
        var block = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfQuarter);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), HalfOne); // m = 1
        var qh = BinaryPrimitives.ReadUInt32LittleEndian(RandomBytes(4, 4));
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), qh);
        var qs = RandomBytes(16, 5);
        qs.CopyTo(block, 8);

        var y = Run(GgmlType.Q5_1, block, 32);

        for (var e = 0; e < 32; e++)
        {
            var q = (e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4) | (int)(((qh >> e) & 1) << 4);
            Assert.Equal(q * 0.25f + 1f, y[e]);
        }
    }

    [Fact]
    public void Q2_K_uses_16_subblocks_with_4_bit_scale_and_min()
    {
        // Layout: scales[16] | qs[64] | d | dmin.
        var block = new byte[84];
        var scales = RandomBytes(16, 6);
        scales[0] = 0x23; // sub-block 0: scale 3, min 2
        scales.CopyTo(block, 0);
        var qs = RandomBytes(64, 7);
        qs[0] = 0b11_10_01_00; // element 0: q=0, element 32: q=1, 64: q=2, 96: q=3
        qs.CopyTo(block, 16);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(80), HalfHalf);    // d = 0.5
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(82), HalfQuarter); // dmin = 0.25

        var y = Run(GgmlType.Q2_K, block, 256);

        Assert.Equal(0.5f * 3 * 0 - 0.25f * 2, y[0]);
        for (var e = 0; e < 256; e++)
        {
            // 128-element halves use 32 bytes of qs each; within one, every 32 elements take the next 2 bits.
            var half = e / 128;
            var r = e % 128;
            var q = (qs[half * 32 + r % 32] >> (2 * (r / 32))) & 3;
            var sc = scales[e / 16];
            Assert.Equal(0.5f * (sc & 0xF) * q - 0.25f * (sc >> 4), y[e]);
        }
    }

    [Fact]
    public void Q3_K_subtracts_4_when_the_high_bit_is_clear_and_uses_6_bit_scales_offset_by_32()
    {
        // Layout: hmask[32] | qs[64] | scales[12] | d.
        var rng = new Random(8);
        var sc = new int[16];
        for (var j = 0; j < 16; j++)
        {
            sc[j] = rng.Next(64);
        }
        sc[0] = 35; // scale 35 - 32 = 3
        var packed = new byte[12];
        for (var j = 0; j < 16; j++)
        {
            // Low 4 bits: byte j (j < 8) low nibble, or byte j-8 high nibble. High 2 bits: byte 8 + j%4, bits 2*(j/4).
            packed[j % 8] |= (byte)((sc[j] & 0xF) << (j < 8 ? 0 : 4));
            packed[8 + j % 4] |= (byte)((sc[j] >> 4) << (2 * (j / 4)));
        }
        var hmask = RandomBytes(32, 9);
        hmask[0] = 0x00; // element 0 has no high bit
        var qs = RandomBytes(64, 10);
        qs[0] = 0x02;    // element 0: low bits 2 -> q = 2 - 4 = -2
        var block = new byte[110];
        hmask.CopyTo(block, 0);
        qs.CopyTo(block, 32);
        packed.CopyTo(block, 96);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(108), HalfTwo);

        var y = Run(GgmlType.Q3_K, block, 256);

        Assert.Equal(2f * 3 * -2, y[0]);
        for (var e = 0; e < 256; e++)
        {
            var half = e / 128;
            var r = e % 128;
            var low = (qs[half * 32 + r % 32] >> (2 * (r / 32))) & 3;
            // The high bits: bit k of hmask[i] belongs to element 32*k + i.
            var high = (hmask[e % 32] >> (e / 32)) & 1;
            var q = low - (high == 1 ? 0 : 4);
            Assert.Equal(2f * (sc[e / 16] - 32) * q, y[e]);
        }
    }

    /// <summary>Packs 8 six-bit scales and mins the way Q4_K and Q5_K store them (12 bytes).</summary>
    private static byte[] PackK4Scales(int[] sc, int[] mn)
    {
        var packed = new byte[12];
        for (var j = 0; j < 8; j++)
        {
            if (j < 4)
            {
                packed[j] = (byte)sc[j];
                packed[j + 4] = (byte)mn[j];
            }
            else
            {
                packed[j + 4] = (byte)((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
                packed[j - 4] |= (byte)((sc[j] >> 4) << 6);
                packed[j] |= (byte)((mn[j] >> 4) << 6);
            }
        }
        return packed;
    }

    private static (int[] Scales, int[] Mins) RandomSixBit(int seed)
    {
        var rng = new Random(seed);
        var sc = new int[8];
        var mn = new int[8];
        for (var j = 0; j < 8; j++)
        {
            sc[j] = rng.Next(64);
            mn[j] = rng.Next(64);
        }
        sc[5] = 0b110101; // exercise the high bits of a j >= 4 entry
        mn[5] = 0b101011;
        return (sc, mn);
    }

    [Fact]
    public void Q4_K_uses_8_subblocks_of_32_with_6_bit_scales_and_mins()
    {
        // Layout: d | dmin | scales[12] | qs[128].
        var (sc, mn) = RandomSixBit(11);
        var qs = RandomBytes(128, 12);
        var block = new byte[144];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfHalf);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), HalfQuarter);
        PackK4Scales(sc, mn).CopyTo(block, 4);
        qs.CopyTo(block, 16);

        var y = Run(GgmlType.Q4_K, block, 256);

        // Element 160 is sub-block 5, first of the high nibbles of qs[64..95].
        Assert.Equal(0.5f * 53 * (qs[64] >> 4) - 0.25f * 43, y[160]);
        for (var e = 0; e < 256; e++)
        {
            var s = e / 32;
            var b = qs[(e / 64) * 32 + e % 32];
            var q = s % 2 == 0 ? b & 0xF : b >> 4;
            Assert.Equal(0.5f * sc[s] * q - 0.25f * mn[s], y[e]);
        }
    }

    [Fact]
    public void Q5_K_adds_16_from_the_high_bit_plane()
    {
        // Layout: d | dmin | scales[12] | qh[32] | qs[128].
        var (sc, mn) = RandomSixBit(13);
        var qh = RandomBytes(32, 14);
        var qs = RandomBytes(128, 15);
        var block = new byte[176];
        BinaryPrimitives.WriteUInt16LittleEndian(block, HalfQuarter);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), HalfOne);
        PackK4Scales(sc, mn).CopyTo(block, 4);
        qh.CopyTo(block, 16);
        qs.CopyTo(block, 48);

        var y = Run(GgmlType.Q5_K, block, 256);

        for (var e = 0; e < 256; e++)
        {
            var s = e / 32;
            var b = qs[(e / 64) * 32 + e % 32];
            var low = s % 2 == 0 ? b & 0xF : b >> 4;
            var high = (qh[e % 32] >> s) & 1; // bit s of qh[i] is the fifth bit of element 32*s + i
            Assert.Equal(0.25f * sc[s] * (low + 16 * high) - 1f * mn[s], y[e]);
        }
    }

    [Fact]
    public void Q6_K_combines_4_low_and_2_high_bits_minus_32_with_int8_scales()
    {
        // Layout: ql[128] | qh[64] | scales[16] (int8) | d.
        var ql = RandomBytes(128, 16);
        var qh = RandomBytes(64, 17);
        var scales = RandomBytes(16, 18);
        scales[0] = 0xFE; // -2
        ql[0] = 0x0F;
        qh[0] = 0x03;     // element 0: 15 | 3 << 4 = 63 -> 31
        var block = new byte[210];
        ql.CopyTo(block, 0);
        qh.CopyTo(block, 128);
        scales.CopyTo(block, 192);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(208), HalfHalf);

        var y = Run(GgmlType.Q6_K, block, 256);

        Assert.Equal(0.5f * -2 * 31, y[0]);
        for (var e = 0; e < 256; e++)
        {
            var half = e / 128;
            var r = e % 128;
            var group = r / 32; // which 2-bit field of qh, and which nibble/half of ql
            var l = r % 32;
            var lowByte = ql[half * 64 + (group % 2) * 32 + l];
            var low = group < 2 ? lowByte & 0xF : lowByte >> 4;
            var high = (qh[half * 32 + l] >> (2 * group)) & 3;
            var q = (low | (high << 4)) - 32;
            var scale = (sbyte)scales[e / 16];
            Assert.Equal(0.5f * scale * q, y[e]);
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_0, 32, 18)]
    [InlineData(GgmlType.Q4_1, 32, 20)]
    [InlineData(GgmlType.Q5_0, 32, 22)]
    [InlineData(GgmlType.Q5_1, 32, 24)]
    [InlineData(GgmlType.Q8_0, 32, 34)]
    [InlineData(GgmlType.Q2_K, 256, 84)]
    [InlineData(GgmlType.Q3_K, 256, 110)]
    [InlineData(GgmlType.Q4_K, 256, 144)]
    [InlineData(GgmlType.Q5_K, 256, 176)]
    [InlineData(GgmlType.Q6_K, 256, 210)]
    [InlineData(GgmlType.F16, 1, 2)]
    [InlineData(GgmlType.BF16, 1, 2)]
    [InlineData(GgmlType.F32, 1, 4)]
    public void Several_blocks_dequantize_block_by_block_and_lengths_are_checked(GgmlType type, int blockSize, int bytesPerBlock)
    {
        var src = RandomBytes(3 * bytesPerBlock, (int)type);
        var whole = new float[3 * blockSize];
        GgmlDequantizer.Dequantize(type, src, whole);
        for (var b = 0; b < 3; b++)
        {
            var one = new float[blockSize];
            GgmlDequantizer.Dequantize(type, src.AsSpan(b * bytesPerBlock, bytesPerBlock), one);
            Assert.Equal(one, whole.AsSpan(b * blockSize, blockSize).ToArray());
        }

        Assert.Throws<ArgumentException>(() => GgmlDequantizer.Dequantize(type, src.AsSpan(1), new float[3 * blockSize]));
        Assert.Throws<ArgumentException>(() => GgmlDequantizer.Dequantize(type, src, new float[4 * blockSize]));
        if (blockSize > 1)
        {
            Assert.Throws<ArgumentException>(() => GgmlDequantizer.Dequantize(type, src, new float[3 * blockSize - 1]));
        }
    }

    [Fact]
    public void Unsupported_types_are_refused_by_name()
    {
        var e = Assert.Throws<NotSupportedException>(() => GgmlDequantizer.Dequantize(GgmlType.IQ2_XXS, new byte[66], new float[256]));
        Assert.Contains("iq2_xxs", e.Message, StringComparison.Ordinal);
    }
}
