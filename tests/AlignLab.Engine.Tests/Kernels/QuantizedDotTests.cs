using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class ActivationQuantizerTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(576)]
    [InlineData(1536)]
    public void Q8_0_is_byte_identical_to_the_reference_quantizer_including_specials_and_ties(int n)
    {
        foreach (var x in Inputs(n))
        {
            var expected = GgmlQuantizer.Quantize(GgmlType.Q8_0, x);
            var actual = new byte[expected.Length];
            ActivationQuantizer.Quantize(GgmlType.Q8_0, x, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1536)]
    public void Q8_K_vector_path_is_byte_identical_to_its_scalar_twin(int n)
    {
        foreach (var x in Inputs(n))
        {
            var expected = new byte[ActivationQuantizer.QuantizedBytes(GgmlType.Q8_K, n)];
            var actual = new byte[expected.Length];
            ActivationQuantizer.Reference.Quantize(GgmlType.Q8_K, x, expected);
            ActivationQuantizer.Quantize(GgmlType.Q8_K, x, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Q8_K_maps_the_signed_maximum_to_minus_127_with_half_even_rounding_and_block_sums()
    {
        var x = new float[256];
        x[0] = 2.54f;     // the signed max: iscale = -127 / 2.54 = -50
        x[1] = -0.01f;    // 0.5 -> 0 (half to even)
        x[2] = -0.03f;    // 1.5 -> 2
        x[3] = 1.0f;      // -50
        x[17] = -2.54f;   // 127: ties with x[0] in magnitude but comes later
        var q = new byte[292];
        ActivationQuantizer.Reference.Quantize(GgmlType.Q8_K, x, q);
        Assert.Equal(-2.54f / 127, BinaryPrimitives.ReadSingleLittleEndian(q), 6);
        Assert.Equal(new sbyte[] { -127, 0, 2, -50 }, q.AsSpan(4, 4).ToArray().Select(b => (sbyte)b));
        Assert.Equal(127, (sbyte)q[4 + 17]);
        Assert.Equal(-127 + 2 - 50, BinaryPrimitives.ReadInt16LittleEndian(q.AsSpan(260)));
        Assert.Equal(127, BinaryPrimitives.ReadInt16LittleEndian(q.AsSpan(262)));
    }

    [Fact]
    public void Non_finite_blocks_quantize_to_a_nan_or_infinite_scale_and_zero_quants()
    {
        foreach (var special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var x = Floats(512, 3);
            x[300] = special;
            var q = new byte[2 * 292];
            ActivationQuantizer.Quantize(GgmlType.Q8_K, x, q);
            var d = BinaryPrimitives.ReadSingleLittleEndian(q.AsSpan(292));
            Assert.True(float.IsNaN(special) ? float.IsNaN(d) : float.IsInfinity(d), $"{special}: d = {d}");
            Assert.All(q.AsSpan(292 + 4, 288).ToArray(), b => Assert.Equal(0, b));
            Assert.True(BinaryPrimitives.ReadSingleLittleEndian(q) is > 0 or < 0); // the first block is untouched
        }
    }

    private static IEnumerable<float[]> Inputs(int n)
    {
        yield return Floats(n, n, 4f);
        yield return FloatsWithSpecials(n, n + 1, 4f, infinity: false);
        yield return FloatsWithSpecials(n, n + 2, 4f, nan: false);
        yield return new float[n];
        // Exact halves after scaling: amax 127 gives d = 1, so x = k + 0.5 exercises the rounding rule.
        var ties = new float[n];
        for (var i = 0; i < n; i++)
        {
            ties[i] = i % 32 == 0 ? 127f : (i % 7) - 3.5f;
        }
        yield return ties;
    }
}

public sealed unsafe class QuantizedDotTests
{
    public static TheoryData<GgmlType> Types => [GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K];

    private static IEnumerable<int> ColumnCounts(GgmlType type)
    {
        var block = GgmlTypeInfo.Get(type).BlockSize;
        return Enumerable.Range(1, 9).Select(b => b * block).Concat(block == 32 ? [576, 1536] : [1536]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Vector_and_scalar_integer_dots_agree_and_equal_the_float_dot_of_the_dequantized_operands(GgmlType type)
    {
        Assert.SkipUnless(Avx2.IsSupported, "the integer vector path needs AVX2");
        var activation = QuantizedDot.ActivationType(type);
        foreach (var columns in ColumnCounts(type))
        {
            foreach (var specials in new[] { false, true })
            {
                var row = RandomRow(type, columns, columns);
                var x = specials ? FloatsWithSpecials(columns, columns + 5, 2f) : Floats(columns, columns + 5, 2f);
                var xq = new byte[ActivationQuantizer.QuantizedBytes(activation, columns)];
                ActivationQuantizer.Quantize(activation, x, xq);

                var xd = DequantizeActivations(activation, xq, columns);
                var (exact, magnitude) = ExactDot(type, row, xd);
                float vector, scalar;
                fixed (byte* pw = row, pa = xq)
                {
                    vector = QuantizedDot.DotAvx2(type, pw, pa, columns);
                    scalar = QuantizedDot.DotScalar(type, pw, pa, columns);
                }
                var what = $"{type} x{columns}{(specials ? " with NaN/inf" : "")}";
                if (specials)
                {
                    // Non-finite activations poison their block's scale: NaN whatever the weights.
                    Assert.True(float.IsNaN(vector) && float.IsNaN(scalar), $"{what}: {vector}, {scalar}");
                    continue;
                }
                AssertSumClose(exact, magnitude, columns, vector, $"{what} vector");
                AssertSumClose(exact, magnitude, columns, scalar, $"{what} scalar");
                if (type is GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K)
                {
                    AssertSameFloat(scalar, vector, $"{what}: K-quant paths agree bit for bit");
                }
                Assert.Equal(scalar, QuantizedDot.Reference.Dot(type, row, xq, columns));
                Assert.Equal(vector, QuantizedDot.Dot(type, row, xq, columns));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_integer_dot_stays_close_to_the_float_dot_of_the_unquantized_activations(GgmlType type)
    {
        var columns = 1536;
        var row = RandomRow(type, columns, 11);
        var x = Floats(columns, 12, 2f);
        var xq = new byte[ActivationQuantizer.QuantizedBytes(QuantizedDot.ActivationType(type), columns)];
        ActivationQuantizer.Quantize(QuantizedDot.ActivationType(type), x, xq);
        var (exact, magnitude) = ExactDot(type, row, x);
        // 8-bit activations: each product is off by at most half a step of its block's scale.
        Assert.True(Math.Abs(QuantizedDot.Dot(type, row, xq, columns) - exact) <= 0.01 * magnitude, $"{type}");
    }

    [Fact]
    public void Mismatched_sizes_and_types_are_rejected()
    {
        var row = RandomRow(GgmlType.Q8_0, 64, 1);
        Assert.Throws<ArgumentException>(() => QuantizedDot.Dot(GgmlType.Q8_0, row, new byte[34], 64));
        Assert.Throws<NotSupportedException>(() => QuantizedDot.ActivationType(GgmlType.F16));
        Assert.Throws<NotSupportedException>(() => ActivationQuantizer.QuantizedBytes(GgmlType.Q4_0, 64));
    }

    private static float[] DequantizeActivations(GgmlType activation, byte[] xq, int columns)
    {
        var xd = new float[columns];
        if (activation == GgmlType.Q8_0)
        {
            GgmlDequantizer.Dequantize(GgmlType.Q8_0, xq, xd);
            return xd;
        }
        for (var i = 0; i < columns; i++)
        {
            var block = xq.AsSpan(i / 256 * ActivationQuantizer.Q8_KBlockBytes);
            xd[i] = BinaryPrimitives.ReadSingleLittleEndian(block) * (sbyte)block[4 + i % 256];
        }
        return xd;
    }
}
