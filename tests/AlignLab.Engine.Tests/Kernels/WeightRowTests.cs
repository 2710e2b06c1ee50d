using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class WeightRowTests
{
    public static TheoryData<int, GgmlType> WidthsAndTypes
    {
        get
        {
            var data = new TheoryData<int, GgmlType>();
            foreach (var width in new[] { 128, 256, 512 })
            {
                foreach (var type in RowTypes)
                {
                    data.Add(width, type);
                }
            }
            return data;
        }
    }

    /// <summary>Row lengths: 1 to 9 blocks, and a few model widths; any length for the plain types.</summary>
    private static IEnumerable<int> ColumnCounts(GgmlType type)
    {
        var block = GgmlTypeInfo.Get(type).BlockSize;
        var counts = block == 1 ? Lengths.Where(n => n > 0) : Enumerable.Range(1, 9).Select(b => b * block).Concat([576, 1536]);
        return counts.Where(n => n % block == 0).Distinct();
    }

    [Theory]
    [MemberData(nameof(WidthsAndTypes))]
    public void Dequantize_at_every_width_is_bit_identical_to_GgmlDequantizer_even_on_random_bits(int width, GgmlType type)
    {
        foreach (var columns in ColumnCounts(type))
        {
            // Raw random bytes: scales may be NaN, infinite or subnormal halves, which must decode alike too.
            var row = new byte[GgmlTypeInfo.Get(type).RowByteSize(columns)];
            new Random(columns).NextBytes(row);
            var expected = new float[columns];
            GgmlDequantizer.Dequantize(type, row, expected);
            var body = new Case(type, row, new float[columns]);
            Widths.Run(width, body);
            AssertSameFloats(expected, body.Dequantized, $"{type} x{columns}");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndTypes))]
    public void Dot_at_every_width_and_the_reference_are_within_the_float_sum_bound_of_the_exact_dot(int width, GgmlType type)
    {
        foreach (var columns in ColumnCounts(type))
        {
            foreach (var specials in new[] { false, true })
            {
                var row = RandomRow(type, columns, columns + (int)type);
                var x = specials ? FloatsWithSpecials(columns, columns) : Floats(columns, columns, 3f);
                var (exact, magnitude) = ExactDot(type, row, x);
                var body = new Case(type, row, x);
                Widths.Run(width, body);
                AssertSumClose(exact, magnitude, columns, body.Dot, $"{type} x{columns} vector");
                AssertSumClose(exact, magnitude, columns, WeightRow.Reference.Dot(type, row, x), $"{type} x{columns} reference");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowTypes), MemberType = typeof(KernelTestData))]
    public void Public_entry_points_agree_with_the_widest_width_and_validate_sizes(GgmlType type)
    {
        var columns = ColumnCounts(type).Last();
        var row = RandomRow(type, columns, 5);
        var x = Floats(columns, 6);
        var (exact, magnitude) = ExactDot(type, row, x);
        AssertSumClose(exact, magnitude, columns, WeightRow.Dot(type, row, x), "Dot");
        var dequantized = new float[columns];
        WeightRow.Dequantize(type, row, dequantized);
        var expected = new float[columns];
        GgmlDequantizer.Dequantize(type, row, expected);
        AssertSameFloats(expected, dequantized, "Dequantize");

        Assert.Throws<ArgumentException>(() => WeightRow.Dot(type, row.AsSpan(1), x));
        Assert.Throws<ArgumentException>(() => WeightRow.Dot(type, row, new float[columns + GgmlTypeInfo.Get(type).BlockSize]));
    }

    [Fact]
    public void The_packed_K4_scale_unpacking_matches_ScaleMinK4_on_random_bytes()
    {
        var rng = new Random(4);
        var packed = new byte[12];
        for (var trial = 0; trial < 1000; trial++)
        {
            rng.NextBytes(packed);
            fixed (byte* p = packed)
            {
                var (scales, mins) = K4Scales.Unpack(p);
                for (var j = 0; j < 8; j++)
                {
                    Assert.Equal(GgmlDequantizer.ScaleMinK4(j, packed), (K4Scales.Get(scales, j), K4Scales.Get(mins, j)));
                }
            }
        }
    }

    [Fact]
    public void Unsupported_types_are_refused()
    {
        Assert.False(WeightRow.IsSupported(GgmlType.IQ2_XXS));
        Assert.Throws<NotSupportedException>(() => WeightRow.Dot(GgmlType.IQ2_XXS, new byte[66], new float[256]));
    }

    private sealed class Case(GgmlType type, byte[] row, float[] x) : IWidthCase
    {
        public float Dot { get; private set; }
        public float[] Dequantized { get; } = new float[x.Length];

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            float result;
            fixed (byte* pw = row)
            fixed (float* px = x, pd = Dequantized)
            {
                WeightRow.DotRows<TS, TF, TI>(type, pw, 0, 0, 1, px, x.Length, &result);
                Dot = result;
                WeightRow.DequantizeRows<TS, TF, TI>(type, pw, 0, 0, 1, x.Length, pd);
            }
        }
    }
}
