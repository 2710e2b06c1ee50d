using System.Runtime.CompilerServices;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Conversions built from <see cref="ISimd{TF, TI}"/> operations, written once for every width, with
/// their scalar twins.
/// </summary>
internal static unsafe class SimdOps
{
    // 2^112 moves a half's exponent bias (15) to a float's (127); exact for normals and subnormals alike.
    private static readonly float HalfExponentShift = BitConverter.Int32BitsToSingle((127 + 112) << 23);

    /// <summary>
    /// Count IEEE halves (raw bits) to float, exactly: the 15 exponent and mantissa bits are moved into
    /// place and rescaled by 2^112, which also normalises subnormals; exponent 31 (inf/NaN) is mapped
    /// to 255 keeping the payload; the sign comes from the sign-extended load. This is what F16C's
    /// vcvtph2ps does in one instruction, which .NET 10 does not expose.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF LoadHalf<TS, TF, TI>(ushort* source)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var s = TS.LoadInt16(source);
        var exponentMantissa = TS.And(TS.ShiftLeft(s, 13), TS.CreateInt(0x0FFFE000));
        var scaled = TS.AsInt32(TS.Multiply(TS.AsSingle(exponentMantissa), TS.Create(HalfExponentShift)));
        var infOrNan = TS.And(TS.GreaterThan(exponentMantissa, TS.CreateInt(0x0F7FFFFF)), TS.CreateInt(0x7F800000));
        return TS.AsSingle(TS.Or(TS.Or(scaled, infOrNan), TS.And(s, TS.CreateInt(int.MinValue))));
    }

    /// <summary>The scalar twin of <see cref="LoadHalf"/>; equals <c>(float)Half</c> bit for bit but avoids its branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToSingle(ushort bits)
    {
        int s = (short)bits;
        var exponentMantissa = (s << 13) & 0x0FFFE000;
        var scaled = BitConverter.SingleToInt32Bits(BitConverter.Int32BitsToSingle(exponentMantissa) * HalfExponentShift);
        var infOrNan = exponentMantissa > 0x0F7FFFFF ? 0x7F800000 : 0;
        return BitConverter.Int32BitsToSingle(scaled | infOrNan | (s & int.MinValue));
    }

    /// <summary>The little-endian half at <paramref name="source"/> (any alignment) as float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReadHalf(byte* source) => HalfToSingle(Unsafe.ReadUnaligned<ushort>(source));

    /// <summary>Count bfloat16 values (raw bits) to float: they are the top halves of floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF LoadBFloat16<TS, TF, TI>(ushort* source)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        => TS.AsSingle(TS.ShiftLeft(TS.LoadUInt16(source), 16));

    /// <summary>Lane i is <paramref name="ifSet"/> when bit i of <paramref name="bits"/> is set, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TI SelectBits<TS, TF, TI>(uint bits, int ifSet)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        => TS.And(TS.GreaterThan(TS.And(TS.CreateInt((int)bits), TS.LaneBits), TS.CreateInt(0)), TS.CreateInt(ifSet));
}
