using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;
using BenchmarkDotNet.Attributes;

namespace AlignLab.Bench.Kernels;

/// <summary>
/// A batch of 64 tokens through one weight matrix (prefill, teacher-forced scoring): panels of rows
/// dequantized once into scratch, then the register-tiled float GEMM.
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class MatMulBenchmark : IDisposable
{
    private byte[] _weights = [];
    private float[] _x = [];
    private float[] _y = [];
    private float[] _scratch = [];
    private int _rows;
    private int _columns;
    private KernelThreadPool? _pool;

    [Params("576x1536", "1536x576", "49152x576")]
    public string Shape { get; set; } = "";

    [Params(GgmlType.F16, GgmlType.Q8_0)]
    public GgmlType Type { get; set; }

    [Params(64)]
    public int Tokens { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_rows, _columns) = KernelBenchConfig.Parse(Shape);
        _weights = KernelBenchData.Matrix(Type, _rows, _columns);
        _x = KernelBenchData.Floats((long)Tokens * _columns, 2);
        _y = new float[Tokens * _rows];
        _scratch = new float[MatMul.ScratchLength(Type, _columns, Threads)];
        _pool = Threads > 1 ? new KernelThreadPool(Threads) : null;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _pool?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void Multiply() => MatMul.Multiply(Type, _weights, _rows, _columns, _x, _y, _scratch, _pool);
}
