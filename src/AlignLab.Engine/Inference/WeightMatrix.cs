using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// A weight matrix [Rows, Columns] (PyTorch order: [out, in]) left where the file keeps it, in its
/// stored type: memory-mapped bytes, read a slice of whole rows at a time. Never dequantized whole.
/// </summary>
internal sealed class WeightMatrix
{
    public WeightMatrix(ITensorSource source, TensorDescriptor tensor)
    {
        Source = source;
        Tensor = tensor;
        Type = tensor.Type;
        Rows = checked((int)tensor.Shape[0]);
        Columns = checked((int)tensor.Shape[1]);
        RowBytes = checked((int)GgmlTypeInfo.Get(Type).RowByteSize(Columns));
        MaxRowsPerSlice = int.MaxValue / RowBytes;
        ActivationType = QuantizedDot.IsSupported(Type) ? QuantizedDot.ActivationType(Type) : null;
    }

    public ITensorSource Source { get; }

    public TensorDescriptor Tensor { get; }

    public GgmlType Type { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Bytes of one stored row.</summary>
    public int RowBytes { get; }

    /// <summary>The most rows one span can hold (spans stop at 2 GiB).</summary>
    public int MaxRowsPerSlice { get; }

    /// <summary>
    /// For a single token (decode), the format x is quantized to for integer dot products with this
    /// matrix (Q8_0 for Q8_0/Q4_0 weights, Q8_K for Q4_K/Q5_K/Q6_K), as llama.cpp always does; null
    /// for the float path (F32, F16, BF16 and the quantized types without an integer kernel).
    /// The choice: at one token the product only streams the weights, and the integer kernels read
    /// them 1.1–1.3× (Q8_0) to 2–2.4× (K-quants) faster than dequantizing to float (bench/RESULTS.md,
    /// Kernels); the price is rounding each activation to 1/127 of its block's largest magnitude,
    /// the error llama.cpp has on every path, well inside the fidelity tests' tolerances for
    /// quantized models (a decode-step test checks this against llama.cpp). Batches (prefill,
    /// scoring) keep float activations: the GEMM is compute-bound, and there the exact path is as fast.
    /// </summary>
    public GgmlType? ActivationType { get; }

    /// <summary>The stored bytes of rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public ReadOnlySpan<byte> RowBytesOf(int first, int count) => Source.GetData(Tensor, (long)first * RowBytes, count * RowBytes);

    /// <summary>Row <paramref name="row"/> converted to F32 (one row only: an embedding lookup).</summary>
    public void ReadRow(int row, Span<float> destination) => ModelOps.DequantizeRow(Type, RowBytesOf(row, 1), destination[..Columns]);

    public override string ToString() => $"{Tensor.Name} [{Rows}, {Columns}] {GgmlTypeInfo.Get(Type).Name}";
}
