using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Tests.Kernels;

/// <summary>Random inputs, widths and tolerances shared by the kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>Lengths around every vector width and unroll boundary, plus a few model sizes.</summary>
    public static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 576, 1000, 1536];

    public static TheoryData<int> Widths => [128, 256, 512];

    public static TheoryData<int, int> WidthsAndLengths
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (var width in new[] { 128, 256, 512 })
            {
                foreach (var n in Lengths)
                {
                    data.Add(width, n);
                }
            }
            return data;
        }
    }

    /// <summary>The quantized types the row kernels support, as theory data.</summary>
    public static TheoryData<GgmlType> RowTypes =>
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
    ];

    /// <summary>Skips the test when <paramref name="width"/> bits are not hardware accelerated here.</summary>
    public static void RequireWidth(int width)
    {
        var accelerated = width switch
        {
            512 => Vector512.IsHardwareAccelerated,
            256 => Vector256.IsHardwareAccelerated,
            _ => Vector128.IsHardwareAccelerated,
        };
        Assert.SkipUnless(accelerated, $"{width}-bit vectors are not hardware accelerated on this machine");
    }

    /// <summary>Uniform values in [-scale, scale).</summary>
    public static float[] Floats(int n, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }
        return x;
    }

    /// <summary>As <see cref="Floats"/> with NaN, +∞ and -∞ at a few random places (when n allows).</summary>
    public static float[] FloatsWithSpecials(int n, int seed, float scale = 1f, bool nan = true, bool infinity = true)
    {
        var x = Floats(n, seed, scale);
        var rng = new Random(seed + 1);
        if (n > 0 && nan)
        {
            x[rng.Next(n)] = float.NaN;
        }
        if (n > 0 && infinity)
        {
            x[rng.Next(n)] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }
        return x;
    }

    /// <summary>
    /// A random row of <paramref name="columns"/> values of <paramref name="type"/>: random quant bits,
    /// with every f16 scale/min field set to a modest random value so sums stay finite.
    /// </summary>
    public static byte[] RandomRow(GgmlType type, int columns, int seed)
    {
        var info = GgmlTypeInfo.Get(type);
        var rng = new Random(seed);
        var row = new byte[info.RowByteSize(columns)];
        rng.NextBytes(row);
        var halves = type switch
        {
            GgmlType.F16 => [0],
            GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 => [0],
            GgmlType.Q4_1 or GgmlType.Q5_1 or GgmlType.Q4_K or GgmlType.Q5_K => [0, 2],
            GgmlType.Q2_K => [80, 82],
            GgmlType.Q3_K => [108],
            GgmlType.Q6_K => [208],
            _ => Array.Empty<int>(),
        };
        for (var b = 0; b < row.Length / info.BytesPerBlock; b++)
        {
            var block = row.AsSpan(b * info.BytesPerBlock, info.BytesPerBlock);
            foreach (var offset in halves)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(block[offset..], Fp16.SingleToHalf((float)(rng.NextDouble() * 2 - 1) * 0.05f));
            }
            if (type == GgmlType.F32)
            {
                BinaryPrimitives.WriteSingleLittleEndian(block, (float)(rng.NextDouble() * 2 - 1));
            }
            else if (type == GgmlType.BF16)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(block, Fp16.SingleToBFloat16((float)(rng.NextDouble() * 2 - 1)));
            }
        }
        return row;
    }

    /// <summary>Σ w[i]·x[i] in double over GgmlDequantizer's values, and Σ |w[i]·x[i]| for the error bound.</summary>
    public static (double Dot, double Magnitude) ExactDot(GgmlType type, ReadOnlySpan<byte> row, ReadOnlySpan<float> x)
    {
        var w = new float[x.Length];
        GgmlDequantizer.Dequantize(type, row, w);
        return ExactDot(w, x);
    }

    public static (double Dot, double Magnitude) ExactDot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        double dot = 0, magnitude = 0;
        for (var i = 0; i < x.Length; i++)
        {
            dot += (double)w[i] * x[i];
            magnitude += Math.Abs((double)w[i] * x[i]);
        }
        return (dot, magnitude);
    }

    /// <summary>
    /// A float sum of n products agrees with the exact one within n·2⁻²³·Σ|terms| (a loose form of the
    /// classic bound), whatever the order. NaN and infinities must match exactly.
    /// </summary>
    public static void AssertSumClose(double exact, double magnitude, int n, float actual, string what)
    {
        if (double.IsNaN(exact) || double.IsInfinity(exact))
        {
            Assert.True(exact.Equals((double)actual), $"{what}: expected {exact}, got {actual}");
            return;
        }
        var tolerance = (n + 16) * Math.Pow(2, -23) * magnitude + 1e-30;
        Assert.True(Math.Abs(actual - exact) <= tolerance, $"{what}: {actual} is not within {tolerance} of {exact}");
    }

    /// <summary>Equal as values, NaN equal to NaN (payloads may differ).</summary>
    public static void AssertSameFloat(float expected, float actual, string what)
    {
        if (float.IsNaN(expected))
        {
            Assert.True(float.IsNaN(actual), $"{what}: expected NaN, got {actual}");
            return;
        }
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{what}: expected {expected:R}, got {actual:R}");
    }

    public static void AssertSameFloats(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertSameFloat(expected[i], actual[i], $"{what}[{i}]");
        }
    }

    /// <summary>Within <paramref name="ulps"/> units in the last place (NaN matches NaN, infinities match exactly).</summary>
    public static void AssertUlps(float expected, float actual, int ulps, string what)
    {
        if (float.IsNaN(expected) || float.IsInfinity(expected) || expected == 0)
        {
            if (expected == 0 && Math.Abs(actual) < 1e-37f)
            {
                return;
            }
            AssertSameFloat(expected, actual, what);
            return;
        }
        var distance = Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));
        Assert.True(Math.Sign(expected) == Math.Sign(actual) && distance <= ulps, $"{what}: {actual:R} is {distance} ulps from {expected:R}");
    }
}

/// <summary>A test body generic over the vector width, so one body runs at 512, 256 and 128 bits.</summary>
internal interface IWidthCase
{
    void Run<TS, TF, TI>()
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct;
}

internal static class Widths
{
    public static void Run(int width, IWidthCase body)
    {
        KernelTestData.RequireWidth(width);
        switch (width)
        {
            case 512: body.Run<Simd512, Vector512<float>, Vector512<int>>(); break;
            case 256: body.Run<Simd256, Vector256<float>, Vector256<int>>(); break;
            default: body.Run<Simd128, Vector128<float>, Vector128<int>>(); break;
        }
    }
}
