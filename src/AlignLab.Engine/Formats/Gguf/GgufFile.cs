using System.Diagnostics.CodeAnalysis;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>
/// A GGUF file: its validated header (metadata and tensor infos) and read-only access to the
/// tensor bytes. <see cref="Open"/> memory-maps the file, so weights are paged in on demand and
/// never copied; <see cref="Parse"/> reads a buffer already in memory. Dispose releases the
/// mapping; spans from <see cref="GetTensorData(GgufTensorInfo)"/> must not be used after that.
/// </summary>
public sealed class GgufFile : IDisposable
{
    private readonly GgufLayout _layout;
    private readonly ByteSource _bytes;
    private bool _disposed;

    private GgufFile(GgufLayout layout, ByteSource bytes, string? name)
    {
        _layout = layout;
        _bytes = bytes;
        Length = bytes.Length;
        Name = name;
        Metadata = layout.Metadata.AsReadOnly();
    }

    /// <summary>The path or name used in error messages.</summary>
    public string? Name { get; }

    /// <summary>GGUF version: 2 or 3.</summary>
    public uint Version => _layout.Version;

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }

    /// <summary>Metadata keys in the order the file lists them.</summary>
    public IReadOnlyList<string> MetadataKeys => _layout.MetadataKeys;

    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors => _layout.Tensors;

    /// <summary>The data-section alignment: <c>general.alignment</c>, or 32 when absent.</summary>
    public uint Alignment => _layout.Alignment;

    /// <summary>Absolute byte offset of the data section, which tensor offsets are relative to.</summary>
    public long DataOffset => _layout.DataOffset;

    /// <summary><c>general.architecture</c> (e.g. "llama"), or null when absent.</summary>
    public string? Architecture => TryGetString("general.architecture", out var arch) ? arch : null;

    /// <summary>Whether the file at <paramref name="path"/> starts with the GGUF magic (a cheap check before parsing).</summary>
    public static bool HasMagic(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(magic) == GgufParser.Magic;
    }

    /// <summary>Memory-maps <paramref name="path"/> read-only and parses its header.</summary>
    public static GgufFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndianHost();
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            // An empty file cannot be mapped; say what is wrong instead.
            throw ModelFormatException.At(path, "magic", 0, "the file is empty");
        }
        return FromSource(MappedByteSource.Open(path, length), path);
    }

    /// <summary>
    /// Parses a GGUF image held in memory (tests, fuzzing, downloads). The memory must not change
    /// while the file is in use.
    /// </summary>
    public static GgufFile Parse(ReadOnlyMemory<byte> bytes, string? name = null)
    {
        RequireLittleEndianHost();
        return FromSource(new ArrayByteSource(bytes), name);
    }

    private static GgufFile FromSource(ByteSource bytes, string? name)
    {
        try
        {
            // The header is parsed as a span, which cannot exceed 2 GiB; tensor data beyond that is read in slices.
            var header = bytes.Read(0, (int)Math.Min(bytes.Length, int.MaxValue));
            return new GgufFile(GgufParser.Parse(header, bytes.Length, name), bytes, name);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    public bool TryGetTensor(string name, [NotNullWhen(true)] out GgufTensorInfo? info)
        => _layout.TensorsByName.TryGetValue(name, out info);

    public GgufTensorInfo GetTensor(string name)
        => TryGetTensor(name, out var info) ? info : throw ModelFormatException.In(Name, $"tensor '{GgufText.Printable(name)}'", "not found");

    /// <summary>
    /// The tensor's bytes, as a view into the mapping (no copy). Valid until this file is disposed.
    /// A tensor over 2 GiB cannot be one span; read it with <see cref="GetTensorData(GgufTensorInfo, long, int)"/>.
    /// </summary>
    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.ByteSize > int.MaxValue)
        {
            throw new NotSupportedException($"tensor '{tensor.Name}' is {tensor.ByteSize} bytes, more than one span can hold; read it in slices");
        }
        return GetTensorData(tensor, 0, (int)tensor.ByteSize);
    }

    /// <summary>A slice of the tensor's bytes: <paramref name="length"/> bytes from <paramref name="start"/>.</summary>
    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor, long start, int length)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tensor.Index >= _layout.Tensors.Length || !ReferenceEquals(_layout.Tensors[tensor.Index], tensor))
        {
            throw new ArgumentException($"tensor '{tensor.Name}' does not belong to {Name ?? "this file"}", nameof(tensor));
        }
        if (start < 0 || length < 0 || start > tensor.ByteSize - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, +{length}) is outside the {tensor.ByteSize} bytes of '{tensor.Name}'");
        }
        // The parser checked DataOffset + Offset + ByteSize <= Length.
        return _bytes.Read(DataOffset + tensor.Offset + start, length);
    }

    public bool TryGetValue(string key, [NotNullWhen(true)] out GgufValue? value) => _layout.Metadata.TryGetValue(key, out value);

    public GgufValue GetValue(string key)
        => TryGetValue(key, out var value) ? value : throw ModelFormatException.In(Name, GgufText.Printable(key), "missing metadata key");

    public string GetString(string key) => GetValue(key).AsString();

    public bool TryGetString(string key, [NotNullWhen(true)] out string? value)
    {
        value = TryGetValue(key, out var v) ? v.AsString() : null;
        return value is not null;
    }

    public uint GetUInt32(string key) => GetValue(key).AsUInt32();

    public bool TryGetUInt32(string key, out uint value) => TryGet(key, v => v.AsUInt32(), out value);

    public ulong GetUInt64(string key) => GetValue(key).AsUInt64();

    public bool TryGetUInt64(string key, out ulong value) => TryGet(key, v => v.AsUInt64(), out value);

    public float GetFloat(string key) => GetValue(key).AsFloat();

    public bool TryGetFloat(string key, out float value) => TryGet(key, v => v.AsFloat(), out value);

    public bool GetBool(string key) => GetValue(key).AsBool();

    public bool TryGetBool(string key, out bool value) => TryGet(key, v => v.AsBool(), out value);

    /// <summary>An array value; read its items with the value's As*Array methods.</summary>
    public GgufValue GetArray(string key) => GetValue(key).AsArray();

    public bool TryGetArray(string key, [NotNullWhen(true)] out GgufValue? value)
    {
        value = TryGetValue(key, out var v) ? v.AsArray() : null;
        return value is not null;
    }

    // The TryGet* getters return false only when the key is absent: a key present with the wrong
    // type is a malformed file and throws, naming the key.
    private bool TryGet<T>(string key, Func<GgufValue, T> convert, out T value)
    {
        if (TryGetValue(key, out var v))
        {
            value = convert(v);
            return true;
        }
        value = default!;
        return false;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _bytes.Dispose();
        }
    }

    public override string ToString() => $"{Name ?? "GGUF"} v{Version}: {Metadata.Count} metadata keys, {Tensors.Count} tensors";

    private static void RequireLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("GGUF reading assumes a little-endian machine");
        }
    }
}
