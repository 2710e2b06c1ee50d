using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// 512-bit lanes (16 floats). The widening loads use AVX-512F's vpmovzx/vpmovsx directly; without it
/// (a runtime where Vector512 is emulated) they are built from two 256-bit halves.
/// </summary>
internal readonly unsafe struct Simd512 : ISimd<Vector512<float>, Vector512<int>>
{
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => Vector512.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) => Simd256.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> DuplicateLower(Vector512<float> value) => Vector512.Shuffle(value, Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> DuplicateUpper(Vector512<float> value) => Vector512.Shuffle(value, Vector512.Create(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RotatePairs(Vector512<float> value)
        => Vector512.Shuffle(value, Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14))
            ^ Vector512.Create(-0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadBytes(byte* source)
        => Avx512F.IsSupported
            ? Avx512F.ConvertToVector512Int32(Vector128.Load(source))
            : Vector512.Create(Simd256.LoadBytes(source), Simd256.LoadBytes(source + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadSBytes(byte* source)
        => Avx512F.IsSupported
            ? Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)source))
            : Vector512.Create(Simd256.LoadSBytes(source), Simd256.LoadSBytes(source + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadInt16(ushort* source)
        => Avx512F.IsSupported
            ? Avx512F.ConvertToVector512Int32(Vector256.Load((short*)source))
            : Vector512.Create(Simd256.LoadInt16(source), Simd256.LoadInt16(source + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadUInt16(ushort* source)
        => Avx512F.IsSupported
            ? Avx512F.ConvertToVector512Int32(Vector256.Load(source))
            : Vector512.Create(Simd256.LoadUInt16(source), Simd256.LoadUInt16(source + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> CreateInt(int value) => Vector512.Create(value);

    public static Vector512<int> LaneBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7,
            1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14, 1 << 15);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> And(Vector512<int> a, Vector512<int> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Or(Vector512<int> a, Vector512<int> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> AddInt(Vector512<int> a, Vector512<int> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftRightLogical(Vector512<int> value, int count) => Vector512.ShiftRightLogical(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftLeft(Vector512<int> value, int count) => Vector512.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> GreaterThan(Vector512<int> a, Vector512<int> b) => Vector512.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ConvertToSingle(Vector512<int> value) => Vector512.ConvertToSingle(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AsSingle(Vector512<int> bits) => bits.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> AsInt32(Vector512<float> value) => value.AsInt32();
}
