using System.Buffers.Binary;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Formats.Quantization;

/// <summary>
/// Reference dequantizers: plain scalar ports of llama.cpp's <c>dequantize_row_*</c>
/// (ggml/src/ggml-quants.c), kept simple so they can be checked against the block layouts in
/// ggml-common.h. Fast kernels elsewhere are tested against these. Arithmetic is done in float
/// in the same order as the C code, so results match llama.cpp bit for bit (no FMA contraction).
/// </summary>
public static class GgmlDequantizer
{
    private const int QK = 32;   // elements per legacy block
    private const int QKK = 256; // elements per K-quant super-block

    /// <summary>
    /// Dequantizes <paramref name="dst"/>.Length values. <paramref name="dst"/> must be a whole number
    /// of blocks and <paramref name="src"/> exactly the bytes those blocks take.
    /// </summary>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> src, Span<float> dst)
    {
        var info = GgmlTypeInfo.TryGet((uint)type, out var i) ? i : throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type");
        if (!info.IsSupported)
        {
            throw new NotSupportedException($"dequantizing ggml type {info.Name} is not supported");
        }
        if (dst.Length % info.BlockSize != 0)
        {
            throw new ArgumentException($"{dst.Length} values are not a whole number of {info.Name} blocks of {info.BlockSize}", nameof(dst));
        }
        var expected = (long)(dst.Length / info.BlockSize) * info.BytesPerBlock;
        if (src.Length != expected)
        {
            throw new ArgumentException($"{dst.Length} {info.Name} values take {expected} bytes, but {src.Length} were given", nameof(src));
        }

        var blocks = dst.Length / info.BlockSize;
        for (var b = 0; b < blocks; b++)
        {
            var block = src.Slice(b * info.BytesPerBlock, info.BytesPerBlock);
            var y = dst.Slice(b * info.BlockSize, info.BlockSize);
            switch (type)
            {
                case GgmlType.F32: y[0] = BinaryPrimitives.ReadSingleLittleEndian(block); break;
                case GgmlType.F16: y[0] = Fp16.HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(block)); break;
                case GgmlType.BF16: y[0] = Fp16.BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(block)); break;
                case GgmlType.Q4_0: Q4_0(block, y); break;
                case GgmlType.Q4_1: Q4_1(block, y); break;
                case GgmlType.Q5_0: Q5_0(block, y); break;
                case GgmlType.Q5_1: Q5_1(block, y); break;
                case GgmlType.Q8_0: Q8_0(block, y); break;
                case GgmlType.Q2_K: Q2_K(block, y); break;
                case GgmlType.Q3_K: Q3_K(block, y); break;
                case GgmlType.Q4_K: Q4_K(block, y); break;
                case GgmlType.Q5_K: Q5_K(block, y); break;
                case GgmlType.Q6_K: Q6_K(block, y); break;
                default: throw new NotSupportedException($"dequantizing ggml type {info.Name} is not supported");
            }
        }
    }

    /// <summary>Dequantizes a whole tensor of a GGUF file.</summary>
    public static float[] Dequantize(GgufFile file, GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(tensor);
        var values = new float[tensor.ElementCount];
        Dequantize(tensor.Type, file.GetTensorData(tensor), values);
        return values;
    }

    private static float Half(ReadOnlySpan<byte> b, int offset) => Fp16.HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[offset..]));

    // block_q4_0: d (f16), qs[16]. Element j is the low nibble of qs[j], element j+16 the high one; x = (q - 8) * d.
    private static void Q4_0(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        var qs = block.Slice(2, QK / 2);
        for (var j = 0; j < QK / 2; j++)
        {
            y[j] = ((qs[j] & 0x0F) - 8) * d;
            y[j + QK / 2] = ((qs[j] >> 4) - 8) * d;
        }
    }

    // block_q4_1: d, m (f16), qs[16]; x = q * d + m.
    private static void Q4_1(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        var m = Half(block, 2);
        var qs = block.Slice(4, QK / 2);
        for (var j = 0; j < QK / 2; j++)
        {
            y[j] = (qs[j] & 0x0F) * d + m;
            y[j + QK / 2] = (qs[j] >> 4) * d + m;
        }
    }

    // block_q5_0: d (f16), qh (32 high bits, bit j for element j), qs[16]; x = (q - 16) * d.
    private static void Q5_0(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        var qh = BinaryPrimitives.ReadUInt32LittleEndian(block[2..]);
        var qs = block.Slice(6, QK / 2);
        for (var j = 0; j < QK / 2; j++)
        {
            var xh0 = (int)((qh >> j) << 4) & 0x10;
            var xh1 = (int)(qh >> (j + 12)) & 0x10;
            y[j] = (((qs[j] & 0x0F) | xh0) - 16) * d;
            y[j + QK / 2] = (((qs[j] >> 4) | xh1) - 16) * d;
        }
    }

    // block_q5_1: d, m (f16), qh, qs[16]; x = q * d + m.
    private static void Q5_1(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        var m = Half(block, 2);
        var qh = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
        var qs = block.Slice(8, QK / 2);
        for (var j = 0; j < QK / 2; j++)
        {
            var xh0 = (int)((qh >> j) << 4) & 0x10;
            var xh1 = (int)(qh >> (j + 12)) & 0x10;
            y[j] = ((qs[j] & 0x0F) | xh0) * d + m;
            y[j + QK / 2] = ((qs[j] >> 4) | xh1) * d + m;
        }
    }

    // block_q8_0: d (f16), qs[32] (int8); x = q * d.
    private static void Q8_0(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        for (var j = 0; j < QK; j++)
        {
            y[j] = (sbyte)block[2 + j] * d;
        }
    }

    // block_q2_K: scales[16] (low nibble scale, high nibble min), qs[64] (2 bits each), d, dmin (f16).
    // 16 sub-blocks of 16: x = d * scale * q - dmin * min.
    private static void Q2_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        var scales = block[..16];
        var d = Half(block, 80);
        var min = Half(block, 82);
        var o = 0;
        var s = 0;
        for (var n = 0; n < QKK; n += 128)
        {
            var q = block.Slice(16 + n / 4, 32);
            for (var shift = 0; shift < 8; shift += 2)
            {
                for (var half = 0; half < 32; half += 16)
                {
                    var sc = scales[s++];
                    var dl = d * (sc & 0xF);
                    var ml = min * (sc >> 4);
                    for (var l = 0; l < 16; l++)
                    {
                        y[o++] = dl * ((q[l + half] >> shift) & 3) - ml;
                    }
                }
            }
        }
    }

    // block_q3_K: hmask[32] (high bit), qs[64] (low 2 bits), scales[12] (16 six-bit scales), d (f16).
    // x = d * (scale - 32) * (q - (high bit set ? 0 : 4)).
    private static void Q3_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        var hm = block[..32];
        var dAll = Half(block, 108);
        Span<sbyte> scales = stackalloc sbyte[16];
        UnpackQ3KScales(block.Slice(96, 12), scales);

        var o = 0;
        var s = 0;
        var m = 1;
        for (var n = 0; n < QKK; n += 128)
        {
            var q = block.Slice(32 + n / 4, 32);
            for (var shift = 0; shift < 8; shift += 2)
            {
                for (var half = 0; half < 32; half += 16)
                {
                    var dl = dAll * (scales[s++] - 32);
                    for (var l = 0; l < 16; l++)
                    {
                        y[o++] = dl * (((q[l + half] >> shift) & 3) - ((hm[l + half] & m) != 0 ? 0 : 4));
                    }
                }
                m <<= 1;
            }
        }
    }

    private static void UnpackQ3KScales(ReadOnlySpan<byte> packed, Span<sbyte> scales)
    {
        for (var j = 0; j < 16; j++)
        {
            scales[j] = (sbyte)Q3KScale(packed, j);
        }
    }

    // Scale j (0..15) has its low 4 bits in byte j % 8 (low nibble for j < 8, high nibble after) and
    // its top 2 bits in byte 8 + j % 4 at bit 2 * (j / 4). This is what the kmask shuffle in C computes.
    // Shared with the fast kernels (AlignLab.Engine.Kernels), which decode the same blocks.
    internal static int Q3KScale(ReadOnlySpan<byte> packed, int j)
    {
        var low = j < 8 ? packed[j] & 0xF : packed[j - 8] >> 4;
        var high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
        return low | (high << 4);
    }

    // The 12 scale bytes of Q4_K/Q5_K hold 8 six-bit scales and 8 six-bit mins (get_scale_min_k4).
    // Shared with the fast kernels.
    internal static (int Scale, int Min) ScaleMinK4(int j, ReadOnlySpan<byte> q)
    {
        if (j < 4)
        {
            return (q[j] & 63, q[j + 4] & 63);
        }
        return ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }

    // block_q4_K: d, dmin (f16), scales[12], qs[128]. 8 sub-blocks of 32: x = d * scale * q - dmin * min.
    private static void Q4_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        var min = Half(block, 2);
        var scales = block.Slice(4, 12);
        var o = 0;
        var s = 0;
        for (var j = 0; j < QKK; j += 64)
        {
            var q = block.Slice(16 + j / 2, 32);
            var (sc1, m1) = ScaleMinK4(s, scales);
            var (sc2, m2) = ScaleMinK4(s + 1, scales);
            float d1 = d * sc1, dm1 = min * m1, d2 = d * sc2, dm2 = min * m2;
            for (var l = 0; l < 32; l++)
            {
                y[o++] = d1 * (q[l] & 0xF) - dm1;
            }
            for (var l = 0; l < 32; l++)
            {
                y[o++] = d2 * (q[l] >> 4) - dm2;
            }
            s += 2;
        }
    }

    // block_q5_K: d, dmin (f16), scales[12], qh[32] (fifth bits), qs[128].
    private static void Q5_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 0);
        var min = Half(block, 2);
        var scales = block.Slice(4, 12);
        var qh = block.Slice(16, 32);
        var o = 0;
        var s = 0;
        int u1 = 1, u2 = 2;
        for (var j = 0; j < QKK; j += 64)
        {
            var ql = block.Slice(48 + j / 2, 32);
            var (sc1, m1) = ScaleMinK4(s, scales);
            var (sc2, m2) = ScaleMinK4(s + 1, scales);
            float d1 = d * sc1, dm1 = min * m1, d2 = d * sc2, dm2 = min * m2;
            for (var l = 0; l < 32; l++)
            {
                y[o++] = d1 * ((ql[l] & 0xF) + ((qh[l] & u1) != 0 ? 16 : 0)) - dm1;
            }
            for (var l = 0; l < 32; l++)
            {
                y[o++] = d2 * ((ql[l] >> 4) + ((qh[l] & u2) != 0 ? 16 : 0)) - dm2;
            }
            s += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    // block_q6_K: ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (int8), d (f16).
    // x = d * scale * (q - 32).
    private static void Q6_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = Half(block, 208);
        for (var n = 0; n < QKK; n += 128)
        {
            var ql = block.Slice(n / 2, 64);
            var qh = block.Slice(128 + n / 4, 32);
            var sc = block.Slice(192 + n / 16, 8);
            var yy = y.Slice(n, 128);
            for (var l = 0; l < 32; l++)
            {
                var s = l / 16;
                var q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                var q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                var q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                var q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                yy[l] = d * (sbyte)sc[s] * q1;
                yy[l + 32] = d * (sbyte)sc[s + 2] * q2;
                yy[l + 64] = d * (sbyte)sc[s + 4] * q3;
                yy[l + 96] = d * (sbyte)sc[s + 6] * q4;
            }
        }
    }
}
