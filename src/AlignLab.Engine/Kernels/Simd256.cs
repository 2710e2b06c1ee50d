using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// 256-bit lanes (8 floats). The widening loads use AVX2's vpmovzx/vpmovsx directly; elsewhere they are
/// built from two 128-bit halves.
/// </summary>
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>, Vector256<int>>
{
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => Vector256.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float MaxAcross(Vector256<float> value) => Simd128.MaxAcross(Vector128.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> DuplicateLower(Vector256<float> value) => Vector256.Shuffle(value, Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> DuplicateUpper(Vector256<float> value) => Vector256.Shuffle(value, Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RotatePairs(Vector256<float> value)
        => Vector256.Shuffle(value, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6))
            ^ Vector256.Create(-0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadBytes(byte* source)
        => Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32(source)
            : Vector256.Create(Simd128.LoadBytes(source), Simd128.LoadBytes(source + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadSBytes(byte* source)
        => Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32((sbyte*)source)
            : Vector256.Create(Simd128.LoadSBytes(source), Simd128.LoadSBytes(source + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadInt16(ushort* source)
        => Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32((short*)source)
            : Vector256.Create(Simd128.LoadInt16(source), Simd128.LoadInt16(source + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadUInt16(ushort* source)
        => Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32(source)
            : Vector256.Create(Simd128.LoadUInt16(source), Simd128.LoadUInt16(source + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> CreateInt(int value) => Vector256.Create(value);

    public static Vector256<int> LaneBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> And(Vector256<int> a, Vector256<int> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Or(Vector256<int> a, Vector256<int> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> AddInt(Vector256<int> a, Vector256<int> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightLogical(Vector256<int> value, int count) => Vector256.ShiftRightLogical(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeft(Vector256<int> value, int count) => Vector256.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> GreaterThan(Vector256<int> a, Vector256<int> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ConvertToSingle(Vector256<int> value) => Vector256.ConvertToSingle(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AsSingle(Vector256<int> bits) => bits.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> AsInt32(Vector256<float> value) => value.AsInt32();
}
