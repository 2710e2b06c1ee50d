using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// 128-bit lanes (4 floats), the width every SIMD platform has. The widening loads use SSE4.1's
/// pmovzx/pmovsx on x86 and plain element reads elsewhere.
/// </summary>
internal readonly unsafe struct Simd128 : ISimd<Vector128<float>, Vector128<int>>
{
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => Vector128.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float MaxAcross(Vector128<float> value)
        => MathF.Max(MathF.Max(value.GetElement(0), value.GetElement(1)), MathF.Max(value.GetElement(2), value.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> DuplicateLower(Vector128<float> value) => Vector128.Shuffle(value, Vector128.Create(0, 0, 1, 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> DuplicateUpper(Vector128<float> value) => Vector128.Shuffle(value, Vector128.Create(2, 2, 3, 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> RotatePairs(Vector128<float> value)
        => Vector128.Shuffle(value, Vector128.Create(1, 0, 3, 2))
            ^ Vector128.Create(-0f, 0f, -0f, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadBytes(byte* source)
        => Sse41.IsSupported
            ? Sse41.ConvertToVector128Int32(source)
            : Vector128.Create((int)source[0], source[1], source[2], source[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadSBytes(byte* source)
        => Sse41.IsSupported
            ? Sse41.ConvertToVector128Int32((sbyte*)source)
            : Vector128.Create((int)(sbyte)source[0], (sbyte)source[1], (sbyte)source[2], (sbyte)source[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadInt16(ushort* source)
        => Sse41.IsSupported
            ? Sse41.ConvertToVector128Int32((short*)source)
            : Vector128.Create((int)(short)source[0], (short)source[1], (short)source[2], (short)source[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadUInt16(ushort* source)
        => Sse41.IsSupported
            ? Sse41.ConvertToVector128Int32(source)
            : Vector128.Create((int)source[0], source[1], source[2], source[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> CreateInt(int value) => Vector128.Create(value);

    public static Vector128<int> LaneBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(1 << 0, 1 << 1, 1 << 2, 1 << 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Or(Vector128<int> a, Vector128<int> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> AddInt(Vector128<int> a, Vector128<int> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightLogical(Vector128<int> value, int count) => Vector128.ShiftRightLogical(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftLeft(Vector128<int> value, int count) => Vector128.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> GreaterThan(Vector128<int> a, Vector128<int> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConvertToSingle(Vector128<int> value) => Vector128.ConvertToSingle(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> AsSingle(Vector128<int> bits) => bits.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> AsInt32(Vector128<float> value) => value.AsInt32();
}
