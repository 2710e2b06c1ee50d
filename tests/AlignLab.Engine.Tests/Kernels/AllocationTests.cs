using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// The hot kernels allocate nothing once warm. Runs alone (no parallel tests) so the process-wide
/// count also covers the pool's worker threads.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    [Fact]
    public void Element_wise_kernels_allocate_nothing()
    {
        float[] x = Floats(1000, 1), y = Floats(1000, 2), d = new float[1000], cos = new float[32], sin = new float[32];
        var frequencies = RopeFrequencies.Ggml(10000f, 64, RopeScaling.Llama3(8, 1, 4, 8192));
        AssertNoAllocation(() =>
        {
            _ = VectorOps.Dot(x, y);
            VectorOps.Add(x, y, d);
            VectorOps.Scale(x, 2, d);
            VectorOps.Axpy(2, x, d);
            RmsNorm.Apply(x, y, 1e-5f, d);
            Softmax.Apply(d);
            Softmax.Log(x, d);
            _ = Softmax.LogSumExp(x);
            Activations.Silu(x, d);
            Activations.SwiGlu(x, y, d);
            frequencies.Compute(17, cos, sin);
            Rope.Apply(d.AsSpan(0, 960), 64, cos, sin, RopeLayout.Normal);
            Rope.Apply(d.AsSpan(0, 960), 64, cos, sin, RopeLayout.Neox);
        });
    }

    [Theory]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_K)]
    public void Matrix_kernels_allocate_nothing_with_or_without_a_pool(GgmlType type)
    {
        const int rows = 40, columns = 512, tokens = 9;
        var rowBytes = (int)GgmlTypeInfo.Get(type).RowByteSize(columns);
        var w = new byte[rowBytes * rows];
        for (var r = 0; r < rows; r++)
        {
            RandomRow(type, columns, r).CopyTo(w, r * rowBytes);
        }
        float[] x = Floats(tokens * columns, 3), y = new float[tokens * rows], row = new float[columns];
        var scratch = new float[MatMul.ScratchLength(type, columns, 2)];
        var activation = QuantizedDot.ActivationType(type is GgmlType.F16 ? GgmlType.Q8_0 : type);
        var xq = new byte[ActivationQuantizer.QuantizedBytes(activation, columns)];
        using var pool = new KernelThreadPool(2);
        KernelThreadPool?[] pools = [null, pool];
        AssertNoAllocation(() =>
        {
            foreach (var p in pools)
            {
                _ = WeightRow.Dot(type, w.AsSpan(0, rowBytes), x.AsSpan(0, columns));
                WeightRow.Dequantize(type, w.AsSpan(0, rowBytes), row);
                MatMul.MatVec(type, w, rows, x.AsSpan(0, columns), y.AsSpan(0, rows), p);
                MatMul.Multiply(type, w, rows, columns, x, y, scratch, p);
                ActivationQuantizer.Quantize(activation, x.AsSpan(0, columns), xq);
                if (QuantizedDot.IsSupported(type))
                {
                    _ = QuantizedDot.Dot(type, w.AsSpan(0, rowBytes), xq, columns);
                    MatMul.MatVecQuantized(type, w, rows, xq, columns, y.AsSpan(0, rows), p);
                }
            }
        });
    }

    /// <summary>
    /// The kernels allocate nothing once warm. A real allocation per call shows in every measured call; a one-off one
    /// (a late tier-up installing code, runtime bookkeeping on a loaded machine) does not, so one clean call of five passes.
    /// </summary>
    private static void AssertNoAllocation(Action kernels)
    {
        for (var i = 0; i < 50; i++)
        {
            kernels(); // past tiered compilation
        }
        var windows = new List<string>();
        for (var window = 0; window < 5; window++)
        {
            var thread = GC.GetAllocatedBytesForCurrentThread();
            var total = GC.GetTotalAllocatedBytes(precise: true);
            kernels();
            var threadBytes = GC.GetAllocatedBytesForCurrentThread() - thread;
            var totalBytes = GC.GetTotalAllocatedBytes(precise: true) - total;
            if (threadBytes == 0 && totalBytes == 0)
            {
                return;
            }
            windows.Add($"{threadBytes} bytes on this thread, {totalBytes} in all");
        }
        Assert.Fail("every call allocated: " + string.Join("; ", windows));
    }
}
