namespace AlignLab.Engine.Formats.Gguf;

/// <summary>
/// One tensor's entry in a GGUF header. <see cref="Shape"/> is in GGUF/ggml order ne0..ne3:
/// ne0 is the contiguous (row) dimension, so a [rows, cols] PyTorch matrix appears as [cols, rows].
/// </summary>
public sealed class GgufTensorInfo
{
    internal GgufTensorInfo(int index, string name, long[] shape, GgmlType type, long offset, long elementCount, long byteSize)
    {
        Index = index;
        Name = name;
        Shape = shape;
        Type = type;
        Offset = offset;
        ElementCount = elementCount;
        ByteSize = byteSize;
    }

    /// <summary>Position in the file's tensor list.</summary>
    public int Index { get; }

    public string Name { get; }

    /// <summary>Dimensions ne0..ne(n-1), ne0 contiguous; between 1 and 4 entries, each positive.</summary>
    public long[] Shape { get; }

    public GgmlType Type { get; }

    /// <summary>Byte offset of the data relative to the start of the data section.</summary>
    public long Offset { get; }

    public long ElementCount { get; }

    public long ByteSize { get; }

    /// <summary>Elements per row (ne0).</summary>
    public long RowLength => Shape[0];

    /// <summary>Number of rows: the product of ne1..ne3.</summary>
    public long RowCount => ElementCount / Shape[0];

    public override string ToString()
        => $"{Name} [{string.Join(", ", Shape)}] {GgmlTypeInfo.Get(Type).Name} @{Offset} ({ByteSize} bytes)";
}
