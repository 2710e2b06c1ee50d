using AlignLab.Engine.Formats.Gguf;
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

    /// <summary>The stored bytes of rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public ReadOnlySpan<byte> RowBytesOf(int first, int count) => Source.GetData(Tensor, (long)first * RowBytes, count * RowBytes);

    /// <summary>Row <paramref name="row"/> converted to F32 (one row only: an embedding lookup).</summary>
    public void ReadRow(int row, Span<float> destination) => ModelOps.DequantizeRow(Type, RowBytesOf(row, 1), destination[..Columns]);

    public override string ToString() => $"{Tensor.Name} [{Rows}, {Columns}] {GgmlTypeInfo.Get(Type).Name}";
}
