using System.Diagnostics.CodeAnalysis;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Models;

/// <summary>Which naming scheme (and so which column of <see cref="TensorNameTable"/>) a tensor source uses.</summary>
public enum TensorNaming
{
    HuggingFace,
    Gguf,
}

/// <summary>
/// A tensor in a format-neutral form. <see cref="Shape"/> is always PyTorch order: outermost
/// dimension first, the last dimension contiguous, so a linear layer's weight is [out, in] and its
/// bytes are <c>out</c> rows of <c>in</c> elements. (GGUF lists the same dimensions reversed as ne =
/// [in, out]; the bytes are identical.)
/// </summary>
/// <param name="Name">The tensor's name in its file.</param>
/// <param name="Type">Element type; F32, F16 and BF16 for safetensors, any ggml type for GGUF.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="ByteSize">Bytes of data.</param>
public sealed record TensorDescriptor(string Name, GgmlType Type, long[] Shape, long ByteSize)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// Read access to a model's tensors, whatever file format holds them. Data is returned in place
/// (memory-mapped) and valid until the source is disposed.
/// </summary>
public interface ITensorSource : IDisposable
{
    TensorNaming Naming { get; }

    /// <summary>Where the tensors come from, for messages.</summary>
    string Location { get; }

    IReadOnlyList<TensorDescriptor> Tensors { get; }

    bool TryGet(string name, [NotNullWhen(true)] out TensorDescriptor? tensor);

    /// <summary><paramref name="length"/> bytes of the tensor's data from <paramref name="offset"/>.</summary>
    ReadOnlySpan<byte> GetData(TensorDescriptor tensor, long offset, int length);
}

public static class TensorSourceExtensions
{
    /// <summary>All of a tensor's bytes; tensors over 2 GiB must be read in slices.</summary>
    public static ReadOnlySpan<byte> GetData(this ITensorSource source, TensorDescriptor tensor)
        => tensor.ByteSize <= int.MaxValue
            ? source.GetData(tensor, 0, (int)tensor.ByteSize)
            : throw new NotSupportedException($"tensor '{tensor.Name}' is {tensor.ByteSize} bytes; read it in slices of at most 2 GiB");
}
