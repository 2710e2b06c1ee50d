using System.Buffers.Binary;

namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>
/// A validated safetensors file. <see cref="Open"/> memory-maps it: tensor data is read in place,
/// never copied as a whole. Spans returned by <see cref="GetData(SafetensorsTensorInfo)"/> are valid
/// until the file is disposed.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly ByteSource _bytes;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsFile(string path, ByteSource bytes)
    {
        Path = path;
        _bytes = bytes;
        try
        {
            var parsed = ReadHeader(bytes, path);
            Tensors = parsed.Tensors;
            Metadata = parsed.Metadata;
            _byName = Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsFile Open(string path)
    {
        var length = new FileInfo(path).Length;
        if (length < SafetensorsHeader.LengthPrefixBytes)
        {
            throw ModelFormatException.At(path, "header length", 0, $"file has {length} bytes, fewer than the 8-byte length prefix");
        }
        return new SafetensorsFile(path, MappedByteSource.Open(path, length));
    }

    /// <summary>Parses an in-memory file; <paramref name="name"/> is used in error messages.</summary>
    public static SafetensorsFile Parse(ReadOnlyMemory<byte> bytes, string name = "<memory>")
        => new(name, new ArrayByteSource(bytes));

    public bool TryGet(string name, out SafetensorsTensorInfo info) => _byName.TryGetValue(name, out info!);

    public SafetensorsTensorInfo Get(string name)
        => _byName.TryGetValue(name, out var info)
            ? info
            : throw ModelFormatException.In(Path, SafetensorsHeader.Describe(name), "not in this file");

    /// <summary>The tensor's bytes in place; tensors over 2 GiB must be read in slices.</summary>
    public ReadOnlySpan<byte> GetData(SafetensorsTensorInfo info)
        => info.ByteSize <= int.MaxValue
            ? GetData(info, 0, (int)info.ByteSize)
            : throw new NotSupportedException($"{SafetensorsHeader.Describe(info.Name)} is {info.ByteSize} bytes; read it in slices of at most 2 GiB");

    /// <summary><paramref name="length"/> bytes of the tensor starting <paramref name="offset"/> bytes into it.</summary>
    public ReadOnlySpan<byte> GetData(SafetensorsTensorInfo info, long offset, int length)
    {
        if (!_byName.TryGetValue(info.Name, out var own) || own != info)
        {
            throw new ArgumentException($"{SafetensorsHeader.Describe(info.Name)} does not belong to {Path}", nameof(info));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, info.ByteSize, nameof(length));
        return _bytes.Read(info.DataOffset + offset, length);
    }

    public void Dispose() => _bytes.Dispose();

    private static SafetensorsHeader.Parsed ReadHeader(ByteSource bytes, string path)
    {
        if (bytes.Length < SafetensorsHeader.LengthPrefixBytes)
        {
            throw ModelFormatException.At(path, "header length", 0, $"file has {bytes.Length} bytes, fewer than the 8-byte length prefix");
        }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Read(0, SafetensorsHeader.LengthPrefixBytes));
        if (headerLength > SafetensorsHeader.MaxHeaderBytes)
        {
            throw ModelFormatException.At(path, "header length", 0, $"{headerLength} bytes exceeds the {SafetensorsHeader.MaxHeaderBytes}-byte limit");
        }
        var available = bytes.Length - SafetensorsHeader.LengthPrefixBytes;
        if ((long)headerLength > available)
        {
            throw ModelFormatException.At(path, "header length", 0, $"{headerLength} bytes but only {available} follow (truncated file?)");
        }
        var header = bytes.Read(SafetensorsHeader.LengthPrefixBytes, (int)headerLength);
        return SafetensorsHeader.Parse(header, available - (long)headerLength, path);
    }
}
