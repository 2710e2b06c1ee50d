using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Quantizes an activation vector once per matrix–vector product for the integer dot products of
/// <see cref="QuantizedDot"/>, in llama.cpp's layouts:
/// <list type="bullet">
/// <item>Q8_0 (for Q8_0 and Q4_0 weights): blocks of 32, d = amax/127 as f16, q = round(x/d) halves
/// away from zero — exactly <see cref="GgmlQuantizer"/> (quantize_row_q8_0_ref), which is the scalar twin.</item>
/// <item>Q8_K (for K-quant weights): blocks of 256, d (f32) = max/-127 where max is the signed value
/// of largest magnitude, q = min(127, round-half-even(x/d)), and bsums[16], the sums of each 16
/// quants (quantize_row_q8_K_ref).</item>
/// </list>
/// Non-finite activations: llama.cpp leaves them undefined; here a block holding a NaN or an
/// infinity gets d = NaN or ±∞ and zero quants, so every dot product with it is NaN.
/// The vector path is 256-bit (a Q8_0 block is four vectors); this runs once per product over one
/// activation row, so wider vectors would not show.
/// </summary>
public static unsafe class ActivationQuantizer
{
    public const int Q8_KBlockBytes = 4 + 256 + 16 * 2;

    /// <summary>Bytes the quantized form of <paramref name="columns"/> values takes.</summary>
    public static int QuantizedBytes(GgmlType activationType, int columns) => activationType switch
    {
        GgmlType.Q8_0 or GgmlType.Q8_K => checked((int)GgmlTypeInfo.Get(activationType).RowByteSize(columns)),
        _ => throw new NotSupportedException($"activations are quantized to Q8_0 or Q8_K, not {activationType}"),
    };

    public static void Quantize(GgmlType activationType, ReadOnlySpan<float> x, Span<byte> destination)
    {
        KernelGuard.SameLength(QuantizedBytes(activationType, x.Length), destination.Length, nameof(destination));
        if (!Vector256.IsHardwareAccelerated)
        {
            Reference.Quantize(activationType, x, destination);
            return;
        }
        fixed (float* px = x)
        fixed (byte* pd = destination)
        {
            if (activationType == GgmlType.Q8_0)
            {
                for (var b = 0; b < x.Length / 32; b++)
                {
                    QuantizeQ8_0Block(px + b * 32, pd + b * 34);
                }
            }
            else
            {
                for (var b = 0; b < x.Length / 256; b++)
                {
                    QuantizeQ8_KBlock(px + b * 256, pd + b * Q8_KBlockBytes);
                }
            }
        }
    }

    private static void QuantizeQ8_0Block(float* x, byte* block)
    {
        Vector256<float> v0 = Vector256.Load(x), v1 = Vector256.Load(x + 8), v2 = Vector256.Load(x + 16), v3 = Vector256.Load(x + 24);
        var amax = Simd256.MaxAcross(Vector256.Max(
            Vector256.Max(Vector256.Abs(v0), Vector256.Abs(v1)), Vector256.Max(Vector256.Abs(v2), Vector256.Abs(v3))));
        var d = amax / 127;
        var id = Vector256.Create(d != 0 ? 1.0f / d : 0.0f);
        Unsafe.WriteUnaligned(block, Fp16.SingleToHalf(d));
        var q = Vector256.Narrow(
            Vector256.Narrow(RoundAwayFromZero(v0 * id), RoundAwayFromZero(v1 * id)),
            Vector256.Narrow(RoundAwayFromZero(v2 * id), RoundAwayFromZero(v3 * id)));
        q.Store((sbyte*)(block + 2));
    }

    // C's roundf, exactly: truncate, then step away from zero when the dropped fraction is at least
    // one half. NaN converts to 0 (the saturating conversion, as the scalar (sbyte) cast).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> RoundAwayFromZero(Vector256<float> v)
    {
        var t = Vector256.Truncate(v);
        var step = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(Vector256.Abs(v - t), Vector256.Create(0.5f)),
            Vector256.CopySign(Vector256.Create(1f), v),
            Vector256<float>.Zero);
        return Vector256.ConvertToInt32(t + step);
    }

    private static void QuantizeQ8_KBlock(float* x, byte* block)
    {
        var m = Vector256<float>.Zero;
        for (var j = 0; j < 256; j += 8)
        {
            m = Vector256.Max(m, Vector256.Abs(Vector256.Load(x + j)));
        }
        var amax = Simd256.MaxAcross(m);
        if (!(amax > 0))
        {
            // NaN (written as the one canonical NaN, as the twin does) or an all-zero block.
            new Span<byte>(block, Q8_KBlockBytes).Clear();
            Unsafe.WriteUnaligned(block, float.IsNaN(amax) ? float.NaN : amax);
            return;
        }
        var first = 0;
        while (MathF.Abs(x[first]) != amax)
        {
            first++;
        }
        var iscale = -127f / x[first];
        var scale = Vector256.Create(iscale);
        var limit = Vector256.Create(127);
        var qs = (sbyte*)(block + 4);
        var bsums = (short*)(block + 4 + 256);
        for (var j = 0; j < 256; j += 32)
        {
            var q0 = Vector256.Min(Vector256.ConvertToInt32(Vector256.Round(Vector256.Load(x + j) * scale)), limit);
            var q1 = Vector256.Min(Vector256.ConvertToInt32(Vector256.Round(Vector256.Load(x + j + 8) * scale)), limit);
            var q2 = Vector256.Min(Vector256.ConvertToInt32(Vector256.Round(Vector256.Load(x + j + 16) * scale)), limit);
            var q3 = Vector256.Min(Vector256.ConvertToInt32(Vector256.Round(Vector256.Load(x + j + 24) * scale)), limit);
            Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256.Narrow(q2, q3)).Store(qs + j);
            bsums[j / 16] = (short)Vector256.Sum(q0 + q1);
            bsums[j / 16 + 1] = (short)Vector256.Sum(q2 + q3);
        }
        Unsafe.WriteUnaligned(block, 1 / iscale);
    }

    /// <summary>Scalar twins: Q8_0 is <see cref="GgmlQuantizer"/>; Q8_K follows quantize_row_q8_K_ref.</summary>
    public static class Reference
    {
        public static void Quantize(GgmlType activationType, ReadOnlySpan<float> x, Span<byte> destination)
        {
            KernelGuard.SameLength(QuantizedBytes(activationType, x.Length), destination.Length, nameof(destination));
            if (activationType == GgmlType.Q8_0)
            {
                GgmlQuantizer.Quantize(GgmlType.Q8_0, x, destination);
                return;
            }
            for (var b = 0; b < x.Length / 256; b++)
            {
                QuantizeQ8_K(x.Slice(b * 256, 256), destination.Slice(b * Q8_KBlockBytes, Q8_KBlockBytes));
            }
        }

        private static void QuantizeQ8_K(ReadOnlySpan<float> x, Span<byte> block)
        {
            float amax = 0, max = 0;
            foreach (var v in x)
            {
                var ax = MathF.Abs(v);
                if (float.IsNaN(ax))
                {
                    amax = float.NaN;
                    break;
                }
                if (ax > amax)
                {
                    amax = ax;
                    max = v;
                }
            }
            block.Clear();
            if (!(amax > 0))
            {
                BinaryPrimitives.WriteSingleLittleEndian(block, amax);
                return;
            }
            var iscale = -127f / max;
            for (var j = 0; j < 256; j++)
            {
                // nearest_int rounds half to even; a NaN (∞·0) becomes 0 like the vector conversion.
                var q = Math.Min(127, (int)MathF.Round(iscale * x[j]));
                block[4 + j] = (byte)(sbyte)q;
                var bsum = BinaryPrimitives.ReadInt16LittleEndian(block[(4 + 256 + j / 16 * 2)..]);
                BinaryPrimitives.WriteInt16LittleEndian(block[(4 + 256 + j / 16 * 2)..], (short)(bsum + q));
            }
            BinaryPrimitives.WriteSingleLittleEndian(block, 1 / iscale);
        }
    }
}
