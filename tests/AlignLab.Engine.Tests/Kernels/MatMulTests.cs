using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class MatMulTests : IDisposable
{
    private readonly KernelThreadPool _two = new(2);
    private readonly KernelThreadPool _three = new(3);

    public void Dispose()
    {
        _two.Dispose();
        _three.Dispose();
    }

    private IEnumerable<KernelThreadPool?> Pools => [null, _two, _three];

    private static byte[] Matrix(GgmlType type, int rows, int columns, int seed)
    {
        var rowBytes = (int)GgmlTypeInfo.Get(type).RowByteSize(columns);
        var w = new byte[rowBytes * rows];
        for (var r = 0; r < rows; r++)
        {
            RandomRow(type, columns, seed + r).CopyTo(w, r * rowBytes);
        }
        return w;
    }

    private static int Columns(GgmlType type, int blocks) => blocks * GgmlTypeInfo.Get(type).BlockSize;

    [Theory]
    [MemberData(nameof(RowTypes), MemberType = typeof(KernelTestData))]
    public void MatVec_matches_the_exact_dot_for_every_row_count_and_thread_count(GgmlType type)
    {
        foreach (var rows in new[] { 1, 2, 3, 5, 17, 33 })
        {
            var columns = Columns(type, type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 ? 37 : 3);
            var w = Matrix(type, rows, columns, rows);
            var x = FloatsWithSpecials(columns, rows, 2f, nan: rows % 2 == 0, infinity: rows % 3 == 0);
            foreach (var pool in Pools)
            {
                var y = new float[rows];
                MatMul.MatVec(type, w, rows, x, y, pool);
                AssertRows(type, w, rows, columns, x, y, $"{type} {rows} rows, {pool?.ThreadCount ?? 1} threads");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowTypes), MemberType = typeof(KernelTestData))]
    public void Multiply_matches_the_exact_dots_for_every_tile_edge_and_thread_count(GgmlType type)
    {
        foreach (var (rows, tokens, blocks) in new[] { (1, 2, 1), (3, 5, 2), (4, 4, 1), (5, 7, 3), (16, 8, 2), (17, 13, 1), (33, 3, 2), (8, 9, 6) })
        {
            var columns = Columns(type, type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 ? 37 * blocks : blocks);
            var w = Matrix(type, rows, columns, rows);
            var x = FloatsWithSpecials(tokens * columns, tokens, 2f, nan: tokens % 2 == 0, infinity: tokens % 3 == 0);
            foreach (var pool in Pools)
            {
                var y = new float[tokens * rows];
                var scratch = new float[MatMul.ScratchLength(type, columns, pool?.ThreadCount ?? 1)];
                MatMul.Multiply(type, w, rows, columns, x, y, scratch, pool);
                for (var t = 0; t < tokens; t++)
                {
                    AssertRows(type, w, rows, columns, x.AsSpan(t * columns, columns), y.AsSpan(t * rows, rows),
                        $"{type} {rows}x{columns}, token {t} of {tokens}, {pool?.ThreadCount ?? 1} threads");
                }
            }
        }
    }

    [Fact]
    public void Multiply_splits_long_rows_into_depth_chunks_without_changing_results()
    {
        const int rows = 9, tokens = 6, columns = 1600; // 4 chunks of 400
        var w = Matrix(GgmlType.Q8_0, rows, columns, 3);
        var x = Floats(tokens * columns, 4);
        float[] y = new float[tokens * rows], expected = new float[tokens * rows];
        MatMul.Multiply(GgmlType.Q8_0, w, rows, columns, x, y, new float[MatMul.ScratchLength(GgmlType.Q8_0, columns, 2)], _two);
        MatMul.Reference.Multiply(GgmlType.Q8_0, w, rows, columns, x, expected);
        for (var t = 0; t < tokens; t++)
        {
            AssertRows(GgmlType.Q8_0, w, rows, columns, x.AsSpan(t * columns, columns), y.AsSpan(t * rows, rows), $"token {t}");
            AssertRows(GgmlType.Q8_0, w, rows, columns, x.AsSpan(t * columns, columns), expected.AsSpan(t * rows, rows), $"reference token {t}");
        }
    }

    [Fact]
    public void Multiply_can_fill_a_slice_of_wider_output_rows()
    {
        const int rows = 10, columns = 64, tokens = 5, wide = 25, first = 7;
        var w = Matrix(GgmlType.Q4_0, rows, columns, 5);
        var x = Floats(tokens * columns, 6);
        var y = Enumerable.Repeat(-1f, tokens * wide).ToArray();
        MatMul.Multiply(GgmlType.Q4_0, w, rows, columns, x, y.AsSpan(first), new float[MatMul.ScratchLength(GgmlType.Q4_0, columns, 2)], _two, yStride: wide);
        var expected = new float[tokens * rows];
        MatMul.Reference.Multiply(GgmlType.Q4_0, w, rows, columns, x, expected);
        for (var t = 0; t < tokens; t++)
        {
            for (var c = 0; c < wide; c++)
            {
                var r = c - first;
                if (r is >= 0 and < rows)
                {
                    Assert.Equal(expected[t * rows + r], y[t * wide + c], Math.Abs(expected[t * rows + r]) * 1e-5 + 1e-6);
                }
                else
                {
                    Assert.Equal(-1f, y[t * wide + c]); // outside the slice: untouched
                }
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MatMul.Multiply(GgmlType.Q4_0, w, rows, columns, x, y, new float[2048], yStride: rows - 1));
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestData))]
    public void The_gemm_tile_is_right_at_every_width(int width)
    {
        foreach (var (rows, tokens, depth) in new[] { (4, 4, 16), (4, 4, 17), (7, 6, 33), (9, 9, 100), (1, 1, 3) })
        {
            var w = Floats(rows * depth, rows);
            var x = Floats(tokens * depth, tokens);
            var body = new GemmCase(w, x, rows, tokens, depth);
            Widths.Run(width, body);
            for (var t = 0; t < tokens; t++)
            {
                for (var r = 0; r < rows; r++)
                {
                    var (exact, magnitude) = ExactDot(w.AsSpan(r * depth, depth), x.AsSpan(t * depth, depth));
                    AssertSumClose(exact, magnitude, depth, body.Y[t * rows + r], $"{rows}x{tokens}x{depth} [{t},{r}]");
                    AssertSumClose(2 * exact, 2 * magnitude, depth, body.Accumulated[t * rows + r], $"accumulated [{t},{r}]");
                }
            }
        }
    }

    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_0)]
    [InlineData(GgmlType.Q4_K)]
    [InlineData(GgmlType.Q5_K)]
    [InlineData(GgmlType.Q6_K)]
    public void MatVecQuantized_matches_its_reference_on_every_thread_count(GgmlType type)
    {
        foreach (var rows in new[] { 1, 3, 17 })
        {
            var columns = Columns(type, type is GgmlType.Q8_0 or GgmlType.Q4_0 ? 18 : 2);
            var w = Matrix(type, rows, columns, rows);
            var x = Floats(columns, rows, 2f);
            var activation = QuantizedDot.ActivationType(type);
            var xq = new byte[ActivationQuantizer.QuantizedBytes(activation, columns)];
            ActivationQuantizer.Quantize(activation, x, xq);
            var expected = new float[rows];
            MatMul.Reference.MatVecQuantized(type, w, rows, xq, columns, expected);
            foreach (var pool in Pools)
            {
                var y = new float[rows];
                MatMul.MatVecQuantized(type, w, rows, xq, columns, y, pool);
                for (var r = 0; r < rows; r++)
                {
                    var rowBytes = w.Length / rows;
                    Assert.Equal(QuantizedDot.Dot(type, w.AsSpan(r * rowBytes, rowBytes), xq, columns), y[r]);
                    Assert.Equal(expected[r], y[r], Math.Abs(expected[r]) * 1e-5 + 1e-6);
                }
            }
        }
    }

    [Fact]
    public void Sizes_are_validated()
    {
        var w = Matrix(GgmlType.Q8_0, 4, 64, 1);
        Assert.Throws<ArgumentException>(() => MatMul.MatVec(GgmlType.Q8_0, w, 5, new float[64], new float[5]));
        Assert.Throws<ArgumentException>(() => MatMul.MatVec(GgmlType.Q8_0, w, 4, new float[64], new float[3]));
        Assert.Throws<ArgumentException>(() => MatMul.Multiply(GgmlType.Q8_0, w, 4, 64, new float[100], new float[8], new float[2048]));
        Assert.Throws<ArgumentException>(() => MatMul.Multiply(GgmlType.Q8_0, w, 4, 64, new float[128], new float[8], new float[10]));
        Assert.Throws<NotSupportedException>(() => MatMul.MatVec(GgmlType.IQ4_NL, new byte[18], 1, new float[32], new float[1]));
        Assert.Equal(0, MatMul.ScratchLength(GgmlType.F32, 64, 4));
    }

    // Every output against the double-precision dot of GgmlDequantizer's weights.
    private static void AssertRows(GgmlType type, byte[] w, int rows, int columns, ReadOnlySpan<float> x, ReadOnlySpan<float> y, string what)
    {
        var rowBytes = w.Length / rows;
        for (var r = 0; r < rows; r++)
        {
            var (exact, magnitude) = ExactDot(type, w.AsSpan(r * rowBytes, rowBytes), x);
            AssertSumClose(exact, magnitude, columns, y[r], $"{what}, row {r}");
        }
    }

    private sealed class GemmCase(float[] w, float[] x, int rows, int tokens, int depth) : IWidthCase
    {
        public float[] Y { get; } = new float[tokens * rows];
        public float[] Accumulated { get; } = new float[tokens * rows];

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            fixed (float* pw = w, px = x, py = Y, pa = Accumulated)
            {
                Gemm.Multiply<TS, TF, TI>(pw, depth, rows, px, depth, tokens, depth, py, rows, accumulate: false);
                Gemm.Multiply<TS, TF, TI>(pw, depth, rows, px, depth, tokens, depth, pa, rows, accumulate: false);
                Gemm.Multiply<TS, TF, TI>(pw, depth, rows, px, depth, tokens, depth, pa, rows, accumulate: true);
            }
        }
    }
}

public sealed unsafe class KernelThreadPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Every_member_runs_once_per_run_with_its_index(int threads)
    {
        using var pool = new KernelThreadPool(threads);
        var counts = new int[threads];
        fixed (int* p = counts)
        {
            for (var run = 0; run < 100; run++)
            {
                pool.Run(&Count, p);
            }
        }
        Assert.All(counts, c => Assert.Equal(100, c));
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_and_the_pool_stays_usable()
    {
        using var pool = new KernelThreadPool(3);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(&ThrowOnLast, null));
        Assert.Equal("member 2 of 3", error.Message);
        var counts = new int[3];
        fixed (int* p = counts)
        {
            pool.Run(&Count, p);
        }
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void A_disposed_pool_refuses_work()
    {
        var pool = new KernelThreadPool(2);
        pool.Dispose();
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(&ThrowOnLast, null));
    }

    private static void Count(void* context, int index, int count) => Interlocked.Increment(ref ((int*)context)[index]);

    private static void ThrowOnLast(void* context, int index, int count)
    {
        if (index == count - 1)
        {
            throw new InvalidOperationException($"member {index} of {count}");
        }
    }
}
