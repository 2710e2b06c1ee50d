using System.Runtime.CompilerServices;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Kernels;

// The K-quant super-blocks (256 elements). Scales are unpacked in scalar code once per sub-block;
// the elements go through the lanes. Each decoder mirrors its GgmlDequantizer counterpart.

/// <summary>block_q2_K: scales[16] (scale | min &lt;&lt; 4), qs[64] (2 bits), d, dmin; x = d·scale·q - dmin·min.</summary>
internal readonly unsafe struct Q2_KCodec : IWeightCodec
{
    public static int BlockElements => 256;
    public static int BlockBytes => 84;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        float d = SimdOps.ReadHalf(block + 80), min = SimdOps.ReadHalf(block + 82);
        var three = TS.CreateInt(3);
        var o = 0;
        var s = 0;
        for (var n = 0; n < 256; n += 128)
        {
            var q = block + 16 + n / 4;
            for (var shift = 0; shift < 8; shift += 2)
            {
                for (var half = 0; half < 32; half += 16, o += 16)
                {
                    var sc = block[s++];
                    TF dl = TS.Create(d * (sc & 0xF)), ml = TS.Create(min * (sc >> 4));
                    for (var l = 0; l < 16; l += TS.Count)
                    {
                        var v = TS.And(TS.ShiftRightLogical(TS.LoadBytes(q + half + l), shift), three);
                        sink.Accept(o + l, TS.Subtract(TS.Multiply(dl, TS.ConvertToSingle(v)), ml));
                    }
                }
            }
        }
    }
}

/// <summary>block_q3_K: hmask[32], qs[64] (low 2 bits), scales[12] (16 six-bit), d; x = d·(scale - 32)·(q - (high bit ? 0 : 4)).</summary>
internal readonly unsafe struct Q3_KCodec : IWeightCodec
{
    public static int BlockElements => 256;
    public static int BlockBytes => 110;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        var dAll = SimdOps.ReadHalf(block + 108);
        var packed = new ReadOnlySpan<byte>(block + 96, 12);
        TI three = TS.CreateInt(3), one = TS.CreateInt(1), minusFour = TS.CreateInt(-4);
        var o = 0;
        var s = 0;
        var bit = 0;
        for (var n = 0; n < 256; n += 128)
        {
            var q = block + 32 + n / 4;
            for (var shift = 0; shift < 8; shift += 2, bit++)
            {
                for (var half = 0; half < 32; half += 16, o += 16)
                {
                    var dl = TS.Create(dAll * (GgmlDequantizer.Q3KScale(packed, s++) - 32));
                    for (var l = 0; l < 16; l += TS.Count)
                    {
                        // q - (high ? 0 : 4) = q + 4·high - 4
                        var low = TS.And(TS.ShiftRightLogical(TS.LoadBytes(q + half + l), shift), three);
                        var high = TS.And(TS.ShiftRightLogical(TS.LoadBytes(block + half + l), bit), one);
                        var v = TS.AddInt(TS.AddInt(low, TS.ShiftLeft(high, 2)), minusFour);
                        sink.Accept(o + l, TS.Multiply(dl, TS.ConvertToSingle(v)));
                    }
                }
            }
        }
    }
}

/// <summary>block_q4_K: d, dmin (f16), scales[12] (8 six-bit scales and mins), qs[128]; x = d·scale·q - dmin·min per 32.</summary>
internal readonly unsafe struct Q4_KCodec : IWeightCodec
{
    public static int BlockElements => 256;
    public static int BlockBytes => 144;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        float d = SimdOps.ReadHalf(block), min = SimdOps.ReadHalf(block + 2);
        var scales = new ReadOnlySpan<byte>(block + 4, 12);
        var mask = TS.CreateInt(0xF);
        var q = block + 16;
        for (int j = 0, s = 0; j < 256; j += 64, s += 2, q += 32)
        {
            var (sc1, m1) = GgmlDequantizer.ScaleMinK4(s, scales);
            var (sc2, m2) = GgmlDequantizer.ScaleMinK4(s + 1, scales);
            TF d1 = TS.Create(d * sc1), dm1 = TS.Create(min * m1), d2 = TS.Create(d * sc2), dm2 = TS.Create(min * m2);
            for (var l = 0; l < 32; l += TS.Count)
            {
                var v = TS.LoadBytes(q + l);
                sink.Accept(j + l, TS.Subtract(TS.Multiply(d1, TS.ConvertToSingle(TS.And(v, mask))), dm1));
                sink.Accept(j + 32 + l, TS.Subtract(TS.Multiply(d2, TS.ConvertToSingle(TS.ShiftRightLogical(v, 4))), dm2));
            }
        }
    }
}

/// <summary>block_q5_K: as Q4_K plus qh[32], whose bit 2i / 2i+1 of byte l is the fifth bit of element l of sub-block 2i / 2i+1.</summary>
internal readonly unsafe struct Q5_KCodec : IWeightCodec
{
    public static int BlockElements => 256;
    public static int BlockBytes => 176;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        float d = SimdOps.ReadHalf(block), min = SimdOps.ReadHalf(block + 2);
        var scales = new ReadOnlySpan<byte>(block + 4, 12);
        var qh = block + 16;
        TI mask = TS.CreateInt(0xF), one = TS.CreateInt(1);
        var ql = block + 48;
        for (int j = 0, s = 0; j < 256; j += 64, s += 2, ql += 32)
        {
            var (sc1, m1) = GgmlDequantizer.ScaleMinK4(s, scales);
            var (sc2, m2) = GgmlDequantizer.ScaleMinK4(s + 1, scales);
            TF d1 = TS.Create(d * sc1), dm1 = TS.Create(min * m1), d2 = TS.Create(d * sc2), dm2 = TS.Create(min * m2);
            for (var l = 0; l < 32; l += TS.Count)
            {
                TI v = TS.LoadBytes(ql + l), h = TS.LoadBytes(qh + l);
                var lo = TS.Or(TS.And(v, mask), TS.ShiftLeft(TS.And(TS.ShiftRightLogical(h, s), one), 4));
                var hi = TS.Or(TS.ShiftRightLogical(v, 4), TS.ShiftLeft(TS.And(TS.ShiftRightLogical(h, s + 1), one), 4));
                sink.Accept(j + l, TS.Subtract(TS.Multiply(d1, TS.ConvertToSingle(lo)), dm1));
                sink.Accept(j + 32 + l, TS.Subtract(TS.Multiply(d2, TS.ConvertToSingle(hi)), dm2));
            }
        }
    }
}

/// <summary>block_q6_K: ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (int8, one per 16), d; x = d·scale·(q - 32).</summary>
internal readonly unsafe struct Q6_KCodec : IWeightCodec
{
    public static int BlockElements => 256;
    public static int BlockBytes => 210;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        var d = SimdOps.ReadHalf(block + 208);
        TI mask = TS.CreateInt(0xF), three = TS.CreateInt(3), offset = TS.CreateInt(-32);
        for (var n = 0; n < 256; n += 128)
        {
            byte* ql = block + n / 2, qh = block + 128 + n / 4;
            var sc = (sbyte*)(block + 192 + n / 16);
            // Lanes never straddle a 16-element scale group because the width divides 16.
            for (var l = 0; l < 32; l += TS.Count)
            {
                var s = l / 16;
                TI a = TS.LoadBytes(ql + l), b = TS.LoadBytes(ql + 32 + l), h = TS.LoadBytes(qh + l);
                var q1 = TS.Or(TS.And(a, mask), TS.ShiftLeft(TS.And(h, three), 4));
                var q2 = TS.Or(TS.And(b, mask), TS.ShiftLeft(TS.And(TS.ShiftRightLogical(h, 2), three), 4));
                var q3 = TS.Or(TS.ShiftRightLogical(a, 4), TS.ShiftLeft(TS.And(TS.ShiftRightLogical(h, 4), three), 4));
                var q4 = TS.Or(TS.ShiftRightLogical(b, 4), TS.ShiftLeft(TS.ShiftRightLogical(h, 6), 4));
                sink.Accept(n + l, TS.Multiply(TS.Create(d * sc[s]), TS.ConvertToSingle(TS.AddInt(q1, offset))));
                sink.Accept(n + l + 32, TS.Multiply(TS.Create(d * sc[s + 2]), TS.ConvertToSingle(TS.AddInt(q2, offset))));
                sink.Accept(n + l + 64, TS.Multiply(TS.Create(d * sc[s + 4]), TS.ConvertToSingle(TS.AddInt(q3, offset))));
                sink.Accept(n + l + 96, TS.Multiply(TS.Create(d * sc[s + 6]), TS.ConvertToSingle(TS.AddInt(q4, offset))));
            }
        }
    }
}
