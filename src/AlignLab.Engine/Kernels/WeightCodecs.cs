using System.Runtime.CompilerServices;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// One ggml block type, decoded straight from its stored bytes into float lanes ("dequantize in
/// registers"). Every decoder reproduces <see cref="GgmlDequantizer"/> bit for bit: the same integer
/// arithmetic, then the same float multiplies and adds in the same order, unfused. A consumer (a dot
/// product, or a store for a panel) receives the lanes through an <see cref="ILaneSink{TF}"/>, so the
/// format logic exists once. Layouts are llama.cpp's ggml-common.h; the width may be up to 16 lanes.
/// </summary>
internal unsafe interface IWeightCodec
{
    static abstract int BlockElements { get; }
    static abstract int BlockBytes { get; }

    static abstract void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>;
}

/// <summary>block_q4_0: d (f16), qs[16]; element j is the low nibble of qs[j], j + 16 the high one; x = (q - 8)·d.</summary>
internal readonly unsafe struct Q4_0Codec : IWeightCodec
{
    public static int BlockElements => 32;
    public static int BlockBytes => 18;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        var d = TS.Create(SimdOps.ReadHalf(block));
        TI mask = TS.CreateInt(0xF), offset = TS.CreateInt(-8);
        for (var i = 0; i < 16; i += TS.Count)
        {
            var q = TS.LoadBytes(block + 2 + i);
            sink.Accept(i, TS.Multiply(TS.ConvertToSingle(TS.AddInt(TS.And(q, mask), offset)), d));
            sink.Accept(i + 16, TS.Multiply(TS.ConvertToSingle(TS.AddInt(TS.ShiftRightLogical(q, 4), offset)), d));
        }
    }
}

/// <summary>block_q4_1: d, m (f16), qs[16]; x = q·d + m.</summary>
internal readonly unsafe struct Q4_1Codec : IWeightCodec
{
    public static int BlockElements => 32;
    public static int BlockBytes => 20;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        TF d = TS.Create(SimdOps.ReadHalf(block)), m = TS.Create(SimdOps.ReadHalf(block + 2));
        var mask = TS.CreateInt(0xF);
        for (var i = 0; i < 16; i += TS.Count)
        {
            var q = TS.LoadBytes(block + 4 + i);
            sink.Accept(i, TS.Add(TS.Multiply(TS.ConvertToSingle(TS.And(q, mask)), d), m));
            sink.Accept(i + 16, TS.Add(TS.Multiply(TS.ConvertToSingle(TS.ShiftRightLogical(q, 4)), d), m));
        }
    }
}

/// <summary>block_q5_0: d (f16), qh (bit j is element j's fifth bit), qs[16]; x = (q - 16)·d.</summary>
internal readonly unsafe struct Q5_0Codec : IWeightCodec
{
    public static int BlockElements => 32;
    public static int BlockBytes => 22;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        var d = TS.Create(SimdOps.ReadHalf(block));
        var qh = Unsafe.ReadUnaligned<uint>(block + 2);
        TI mask = TS.CreateInt(0xF), offset = TS.CreateInt(-16);
        for (var i = 0; i < 16; i += TS.Count)
        {
            var q = TS.LoadBytes(block + 6 + i);
            var lo = TS.Or(TS.And(q, mask), SimdOps.SelectBits<TS, TF, TI>(qh >> i, 16));
            var hi = TS.Or(TS.ShiftRightLogical(q, 4), SimdOps.SelectBits<TS, TF, TI>(qh >> (16 + i), 16));
            sink.Accept(i, TS.Multiply(TS.ConvertToSingle(TS.AddInt(lo, offset)), d));
            sink.Accept(i + 16, TS.Multiply(TS.ConvertToSingle(TS.AddInt(hi, offset)), d));
        }
    }
}

/// <summary>block_q5_1: d, m (f16), qh, qs[16]; x = q·d + m.</summary>
internal readonly unsafe struct Q5_1Codec : IWeightCodec
{
    public static int BlockElements => 32;
    public static int BlockBytes => 24;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        TF d = TS.Create(SimdOps.ReadHalf(block)), m = TS.Create(SimdOps.ReadHalf(block + 2));
        var qh = Unsafe.ReadUnaligned<uint>(block + 4);
        var mask = TS.CreateInt(0xF);
        for (var i = 0; i < 16; i += TS.Count)
        {
            var q = TS.LoadBytes(block + 8 + i);
            var lo = TS.Or(TS.And(q, mask), SimdOps.SelectBits<TS, TF, TI>(qh >> i, 16));
            var hi = TS.Or(TS.ShiftRightLogical(q, 4), SimdOps.SelectBits<TS, TF, TI>(qh >> (16 + i), 16));
            sink.Accept(i, TS.Add(TS.Multiply(TS.ConvertToSingle(lo), d), m));
            sink.Accept(i + 16, TS.Add(TS.Multiply(TS.ConvertToSingle(hi), d), m));
        }
    }
}

/// <summary>block_q8_0: d (f16), qs[32] (int8); x = q·d.</summary>
internal readonly unsafe struct Q8_0Codec : IWeightCodec
{
    public static int BlockElements => 32;
    public static int BlockBytes => 34;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode<TS, TF, TI, TSink>(byte* block, ref TSink sink)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        where TSink : struct, ILaneSink<TF>
    {
        var d = TS.Create(SimdOps.ReadHalf(block));
        for (var i = 0; i < 32; i += TS.Count)
        {
            sink.Accept(i, TS.Multiply(TS.ConvertToSingle(TS.LoadSBytes(block + 2 + i)), d));
        }
    }
}
