using System.Buffers.Binary;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Formats.Quantization;

/// <summary>
/// Reference quantizers: scalar ports of llama.cpp's round-to-nearest <c>quantize_row_*_ref</c>
/// (ggml/src/ggml-quants.c) for the legacy block types and the K-quants (Q2_K to Q6_K), plus the
/// F32/F16/BF16 conversions. Output is byte-identical to llama.cpp's reference path, so files written
/// here quantize as llama.cpp would without an importance matrix.
/// </summary>
public static partial class GgmlQuantizer
{
    private const int QK = 32;

    /// <summary>Whether <see cref="Quantize(GgmlType, ReadOnlySpan{float}, Span{byte})"/> can produce this type.</summary>
    public static bool CanQuantize(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16
        or GgmlType.Q8_0 or GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1
        or GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K;

    /// <summary>
    /// Quantizes <paramref name="src"/> (a whole number of blocks) into <paramref name="dst"/>,
    /// which must be exactly the bytes those blocks take.
    /// </summary>
    public static void Quantize(GgmlType type, ReadOnlySpan<float> src, Span<byte> dst)
    {
        if (!CanQuantize(type))
        {
            throw new NotSupportedException($"quantizing to ggml type {type} is not supported");
        }
        var info = GgmlTypeInfo.Get(type);
        if (src.Length % info.BlockSize != 0)
        {
            throw new ArgumentException($"{src.Length} values are not a whole number of {info.Name} blocks of {info.BlockSize}", nameof(src));
        }
        var expected = (long)(src.Length / info.BlockSize) * info.BytesPerBlock;
        if (dst.Length != expected)
        {
            throw new ArgumentException($"{src.Length} {info.Name} values take {expected} bytes, but the buffer has {dst.Length}", nameof(dst));
        }

        var blocks = src.Length / info.BlockSize;
        for (var b = 0; b < blocks; b++)
        {
            var x = src.Slice(b * info.BlockSize, info.BlockSize);
            var block = dst.Slice(b * info.BytesPerBlock, info.BytesPerBlock);
            switch (type)
            {
                case GgmlType.F32: BinaryPrimitives.WriteSingleLittleEndian(block, x[0]); break;
                case GgmlType.F16: BinaryPrimitives.WriteUInt16LittleEndian(block, Fp16.SingleToHalf(x[0])); break;
                case GgmlType.BF16: BinaryPrimitives.WriteUInt16LittleEndian(block, Fp16.SingleToBFloat16(x[0])); break;
                case GgmlType.Q8_0: Q8_0(x, block); break;
                case GgmlType.Q4_0: Q4_0(x, block); break;
                case GgmlType.Q4_1: Q4_1(x, block); break;
                case GgmlType.Q5_0: Q5_0(x, block); break;
                case GgmlType.Q5_1: Q5_1(x, block); break;
                case GgmlType.Q2_K: Q2_K(x, block); break;
                case GgmlType.Q3_K: Q3_K(x, block); break;
                case GgmlType.Q4_K: Q4_K(x, block); break;
                case GgmlType.Q5_K: Q5_K(x, block); break;
                default: Q6_K(x, block); break;
            }
        }
    }

    /// <summary>Quantizes into a new array of exactly the right size.</summary>
    public static byte[] Quantize(GgmlType type, ReadOnlySpan<float> src)
    {
        var info = GgmlTypeInfo.Get(type);
        if (!info.TryGetByteSize(src.Length, out var bytes))
        {
            throw new ArgumentException($"{src.Length} values are not a whole number of {info.Name} blocks of {info.BlockSize}", nameof(src));
        }
        var dst = new byte[bytes];
        Quantize(type, src, dst);
        return dst;
    }

    private static void WriteHalf(Span<byte> block, int offset, float value)
        => BinaryPrimitives.WriteUInt16LittleEndian(block[offset..], Fp16.SingleToHalf(value));

    // The absolute maximum and the signed value that has it (the first one, on ties), as the C loops find them.
    private static (float Amax, float Max) SignedAbsMax(ReadOnlySpan<float> x)
    {
        float amax = 0, max = 0;
        foreach (var v in x)
        {
            if (amax < MathF.Abs(v))
            {
                amax = MathF.Abs(v);
                max = v;
            }
        }
        return (amax, max);
    }

    private static (float Min, float Max) MinMax(ReadOnlySpan<float> x)
    {
        float min = float.MaxValue, max = -float.MaxValue;
        foreach (var v in x)
        {
            if (v < min)
            {
                min = v;
            }
            if (v > max)
            {
                max = v;
            }
        }
        return (min, max);
    }

    // d = amax / 127, q = round(x / d) with halves away from zero (C roundf).
    private static void Q8_0(ReadOnlySpan<float> x, Span<byte> block)
    {
        var amax = 0f;
        foreach (var v in x)
        {
            amax = MathF.Max(amax, MathF.Abs(v));
        }
        var d = amax / ((1 << 7) - 1);
        var id = d != 0 ? 1.0f / d : 0.0f;
        WriteHalf(block, 0, d);
        for (var j = 0; j < QK; j++)
        {
            block[2 + j] = (byte)(sbyte)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
        }
    }

    // d = max / -8 where max is the value of largest magnitude, so it maps to q = 0; q = trunc(x/d + 8.5) capped at 15.
    private static void Q4_0(ReadOnlySpan<float> x, Span<byte> block)
    {
        var (_, max) = SignedAbsMax(x);
        var d = max / -8;
        var id = d != 0 ? 1.0f / d : 0.0f;
        WriteHalf(block, 0, d);
        for (var j = 0; j < QK / 2; j++)
        {
            var xi0 = Math.Min(15, (int)(sbyte)(x[j] * id + 8.5f));
            var xi1 = Math.Min(15, (int)(sbyte)(x[j + QK / 2] * id + 8.5f));
            block[2 + j] = (byte)(xi0 | (xi1 << 4));
        }
    }

    // d = (max - min) / 15, m = min; q = trunc((x - min)/d + 0.5) capped at 15.
    private static void Q4_1(ReadOnlySpan<float> x, Span<byte> block)
    {
        var (min, max) = MinMax(x);
        var d = (max - min) / ((1 << 4) - 1);
        var id = d != 0 ? 1.0f / d : 0.0f;
        WriteHalf(block, 0, d);
        WriteHalf(block, 2, min);
        for (var j = 0; j < QK / 2; j++)
        {
            var xi0 = Math.Min(15, (int)(sbyte)((x[j] - min) * id + 0.5f));
            var xi1 = Math.Min(15, (int)(sbyte)((x[j + QK / 2] - min) * id + 0.5f));
            block[4 + j] = (byte)(xi0 | (xi1 << 4));
        }
    }

    // As Q4_0 with 5 bits: d = max / -16; the fifth bits go to qh (bit j for element j).
    private static void Q5_0(ReadOnlySpan<float> x, Span<byte> block)
    {
        var (_, max) = SignedAbsMax(x);
        var d = max / -16;
        var id = d != 0 ? 1.0f / d : 0.0f;
        WriteHalf(block, 0, d);
        uint qh = 0;
        for (var j = 0; j < QK / 2; j++)
        {
            var xi0 = Math.Min(31, (int)(sbyte)(x[j] * id + 16.5f));
            var xi1 = Math.Min(31, (int)(sbyte)(x[j + QK / 2] * id + 16.5f));
            block[6 + j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
            qh |= (uint)((xi0 & 0x10) >> 4) << j;
            qh |= (uint)((xi1 & 0x10) >> 4) << (j + QK / 2);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(block[2..], qh);
    }

    // As Q4_1 with 5 bits: d = (max - min) / 31.
    private static void Q5_1(ReadOnlySpan<float> x, Span<byte> block)
    {
        var (min, max) = MinMax(x);
        var d = (max - min) / ((1 << 5) - 1);
        var id = d != 0 ? 1.0f / d : 0.0f;
        WriteHalf(block, 0, d);
        WriteHalf(block, 2, min);
        uint qh = 0;
        for (var j = 0; j < QK / 2; j++)
        {
            var xi0 = (int)(byte)((x[j] - min) * id + 0.5f);
            var xi1 = (int)(byte)((x[j + QK / 2] - min) * id + 0.5f);
            block[8 + j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
            qh |= (uint)((xi0 & 0x10) >> 4) << j;
            qh |= (uint)((xi1 & 0x10) >> 4) << (j + QK / 2);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], qh);
    }
}
