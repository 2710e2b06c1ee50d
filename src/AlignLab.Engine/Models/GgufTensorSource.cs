using System.Diagnostics.CodeAnalysis;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Models;

/// <summary>The tensors of a GGUF file, with ggml's ne order reversed into PyTorch order.</summary>
public sealed class GgufTensorSource : ITensorSource
{
    private readonly GgufFile _file;
    private readonly bool _ownsFile;
    private readonly Dictionary<string, (TensorDescriptor Descriptor, GgufTensorInfo Info)> _byName;

    /// <param name="file">The opened file.</param>
    /// <param name="ownsFile">Whether disposing this source disposes <paramref name="file"/>.</param>
    public GgufTensorSource(GgufFile file, bool ownsFile = true)
    {
        _file = file ?? throw new ArgumentNullException(nameof(file));
        _ownsFile = ownsFile;
        _byName = file.Tensors.ToDictionary(
            t => t.Name,
            t => (new TensorDescriptor(t.Name, t.Type, [.. t.Shape.Reverse()], t.ByteSize), t),
            StringComparer.Ordinal);
        Tensors = [.. file.Tensors.Select(t => _byName[t.Name].Descriptor)];
    }

    public TensorNaming Naming => TensorNaming.Gguf;

    public string Location => _file.Name ?? "GGUF";

    public IReadOnlyList<TensorDescriptor> Tensors { get; }

    public bool TryGet(string name, [NotNullWhen(true)] out TensorDescriptor? tensor)
    {
        tensor = _byName.TryGetValue(name, out var entry) ? entry.Descriptor : null;
        return tensor is not null;
    }

    public ReadOnlySpan<byte> GetData(TensorDescriptor tensor, long offset, int length)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_byName.TryGetValue(tensor.Name, out var entry) || !ReferenceEquals(entry.Descriptor, tensor))
        {
            throw new ArgumentException($"tensor '{tensor.Name}' does not belong to {Location}", nameof(tensor));
        }
        return _file.GetTensorData(entry.Info, offset, length);
    }

    public void Dispose()
    {
        if (_ownsFile)
        {
            _file.Dispose();
        }
    }
}
