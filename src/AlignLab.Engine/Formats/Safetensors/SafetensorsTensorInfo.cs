namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>
/// One tensor of a safetensors file. <see cref="Shape"/> is PyTorch order: outermost dimension first,
/// row-major, so a linear layer's weight is [out_features, in_features].
/// </summary>
/// <param name="Name">The tensor's name in the header.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="DataOffset">Absolute byte offset of the data in the file.</param>
/// <param name="ByteSize">Bytes of data: element count × element size.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long DataOffset, long ByteSize)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
