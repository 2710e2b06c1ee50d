using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;
using BenchmarkDotNet.Attributes;

namespace AlignLab.Bench.Kernels;

/// <summary>
/// One token through one weight matrix (decode) with float activations: each block dequantized in
/// registers and FMA'd. Shapes are SmolLM-135M's: FFN down (576×1536), FFN up/gate (1536×576) and
/// the output head (49152×576).
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class MatVecBenchmark : IDisposable
{
    private MatVecFixture _f = null!;

    [Params("576x1536", "1536x576", "49152x576")]
    public string Shape { get; set; } = "";

    [Params(GgmlType.F16, GgmlType.Q8_0)]
    public GgmlType Type { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _f = new MatVecFixture(Shape, Type, Threads);

    [GlobalCleanup]
    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void FloatActivations() => MatMul.MatVec(Type, _f.Weights, _f.Rows, _f.X, _f.Y, _f.Pool);
}

/// <summary>
/// The same products the way llama.cpp does them: x quantized once to Q8_0 (included in the time,
/// as in every decode step), then integer dot products.
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class MatVecQuantizedBenchmark : IDisposable
{
    private MatVecFixture _f = null!;

    [Params("576x1536", "1536x576", "49152x576")]
    public string Shape { get; set; } = "";

    [Params(GgmlType.Q8_0, GgmlType.Q4_0)]
    public GgmlType Type { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _f = new MatVecFixture(Shape, Type, Threads);

    [GlobalCleanup]
    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void QuantizedActivations()
    {
        ActivationQuantizer.Quantize(GgmlType.Q8_0, _f.X, _f.QuantizedX);
        MatMul.MatVecQuantized(Type, _f.Weights, _f.Rows, _f.QuantizedX, _f.X.Length, _f.Y, _f.Pool);
    }
}

/// <summary>
/// K-quant rows against both strategies, on a Llama-3.2-1B FFN up projection (8192×2048; SmolLM's
/// 576-wide rows are not whole 256-element super-blocks).
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class KQuantMatVecBenchmark : IDisposable
{
    private MatVecFixture _f = null!;

    [Params("8192x2048")]
    public string Shape { get; set; } = "";

    [Params(GgmlType.Q4_K, GgmlType.Q6_K)]
    public GgmlType Type { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _f = new MatVecFixture(Shape, Type, Threads);

    [GlobalCleanup]
    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void FloatActivations() => MatMul.MatVec(Type, _f.Weights, _f.Rows, _f.X, _f.Y, _f.Pool);

    [Benchmark]
    public void QuantizedActivations()
    {
        ActivationQuantizer.Quantize(GgmlType.Q8_K, _f.X, _f.QuantizedX);
        MatMul.MatVecQuantized(Type, _f.Weights, _f.Rows, _f.QuantizedX, _f.X.Length, _f.Y, _f.Pool);
    }
}

internal sealed class MatVecFixture : IDisposable
{
    public MatVecFixture(string shape, GgmlType type, int threads)
    {
        (Rows, var columns) = KernelBenchConfig.Parse(shape);
        var kQuant = type is GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K;
        Weights = kQuant ? KernelBenchData.KQuantMatrix(type, Rows, columns) : KernelBenchData.Matrix(type, Rows, columns);
        X = KernelBenchData.Floats(columns, 2);
        Y = new float[Rows];
        QuantizedX = new byte[ActivationQuantizer.QuantizedBytes(kQuant ? GgmlType.Q8_K : GgmlType.Q8_0, columns)];
        Pool = threads > 1 ? new KernelThreadPool(threads) : null;
    }

    public int Rows { get; }
    public byte[] Weights { get; }
    public float[] X { get; }
    public float[] Y { get; }
    public byte[] QuantizedX { get; }
    public KernelThreadPool? Pool { get; }

    public void Dispose() => Pool?.Dispose();
}
