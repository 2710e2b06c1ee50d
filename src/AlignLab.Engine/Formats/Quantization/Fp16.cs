namespace AlignLab.Engine.Formats.Quantization;

/// <summary>
/// IEEE half (F16) and bfloat16 (BF16) conversions, bit-compatible with ggml's
/// GGML_FP16_TO_FP32 / GGML_FP32_TO_FP16 and ggml_compute_fp32_to_bf16.
/// </summary>
public static class Fp16
{
    /// <summary>F16 to F32 is exact.</summary>
    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>F32 to F16, rounding to nearest even; infinities and NaN are kept (NaN stays NaN).</summary>
    public static ushort SingleToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>BF16 is the top half of an F32, so widening is a shift.</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// F32 to BF16, rounding to nearest even. A NaN keeps its sign and top payload bits and is made
    /// quiet, so truncation cannot turn it into an infinity (as ggml does).
    /// </summary>
    public static ushort SingleToBFloat16(float value)
    {
        var u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7fffffff) > 0x7f800000)
        {
            return (ushort)((u >> 16) | 64);
        }
        return (ushort)((u + (0x7fff + ((u >> 16) & 1))) >> 16);
    }
}
