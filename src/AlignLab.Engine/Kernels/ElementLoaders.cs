using System.Runtime.CompilerServices;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// A one-element-per-block type (F32, F16, BF16): rows are plain arrays, so they are read Count
/// elements at a time with no block structure, and any row length works. Conversions are exact.
/// </summary>
internal unsafe interface IElementLoader
{
    static abstract int ElementBytes { get; }

    static abstract TF Load<TS, TF, TI>(byte* source)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct;

    static abstract float LoadScalar(byte* source);
}

internal readonly unsafe struct F32Loader : IElementLoader
{
    public static int ElementBytes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Load<TS, TF, TI>(byte* source)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        => TS.Load((float*)source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadScalar(byte* source) => Unsafe.ReadUnaligned<float>(source);
}

internal readonly unsafe struct F16Loader : IElementLoader
{
    public static int ElementBytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Load<TS, TF, TI>(byte* source)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        => SimdOps.LoadHalf<TS, TF, TI>((ushort*)source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadScalar(byte* source) => SimdOps.ReadHalf(source);
}

internal readonly unsafe struct BF16Loader : IElementLoader
{
    public static int ElementBytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Load<TS, TF, TI>(byte* source)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
        => SimdOps.LoadBFloat16<TS, TF, TI>((ushort*)source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadScalar(byte* source) => Fp16.BFloat16ToSingle(Unsafe.ReadUnaligned<ushort>(source));
}
