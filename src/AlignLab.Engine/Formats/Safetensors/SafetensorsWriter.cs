using System.Buffers.Binary;
using System.Text.Json;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>
/// Builds a safetensors file in memory and saves it atomically (temporary file, then rename), so a
/// crash never leaves a half-written file under the final name.
/// </summary>
public sealed class SafetensorsWriter
{
    private sealed record Pending(string Name, SafetensorsDType DType, long[] Shape, byte[] Data);

    private readonly List<Pending> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Written as <c>__metadata__</c>; empty means the key is omitted.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a tensor; <paramref name="shape"/> is PyTorch order and must match the data's size.</summary>
    public void Add(string name, SafetensorsDType dtype, long[] shape, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name == SafetensorsHeader.MetadataKey || !_names.Add(name))
        {
            throw new ArgumentException($"tensor name \"{name}\" is reserved or already added", nameof(name));
        }
        var expected = shape.Aggregate((long)dtype.Size(), (a, d) => d >= 0 ? checked(a * d) : throw new ArgumentException("negative dimension", nameof(shape)));
        if (expected != data.Length)
        {
            _names.Remove(name);
            throw new ArgumentException($"tensor \"{name}\": shape needs {expected} bytes, got {data.Length}", nameof(data));
        }
        _tensors.Add(new Pending(name, dtype, (long[])shape.Clone(), data.ToArray()));
    }

    /// <summary>Adds F32 values stored as <paramref name="dtype"/> (F32, F16 or BF16; rounded to nearest even).</summary>
    public void Add(string name, long[] shape, ReadOnlySpan<float> values, SafetensorsDType dtype = SafetensorsDType.F32)
        => Add(name, dtype, shape, GgmlQuantizer.Quantize(dtype.ToGgml(), values));

    /// <summary>Writes the file atomically: to a temporary file beside <paramref name="path"/>, then renamed over it.</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    public byte[] ToArray()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    private void WriteTo(Stream stream)
    {
        // Widest elements first, then by name: with the header padded to 8 bytes every tensor then
        // starts aligned to its element size, as in the reference writer.
        var ordered = _tensors.OrderByDescending(t => t.DType.Size()).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = BuildHeader(ordered);
        Span<byte> prefix = stackalloc byte[SafetensorsHeader.LengthPrefixBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var t in ordered)
        {
            stream.Write(t.Data);
        }
    }

    private byte[] BuildHeader(List<Pending> ordered)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in ordered)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DType.Name());
                WriteArray(json, "shape", t.Shape);
                WriteArray(json, "data_offsets", [offset, offset + t.Data.Length]);
                json.WriteEndObject();
                offset += t.Data.Length;
            }
            json.WriteEndObject();
        }
        var padding = (8 - (int)(buffer.Length % 8)) % 8;
        buffer.Write("        "u8[..padding]);
        return buffer.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, long[] values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteNumberValue(v);
        }
        json.WriteEndArray();
    }
}
