using System.Text.Json;
using System.Text.Unicode;

namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>
/// Parses and validates the JSON header of a safetensors file: every tensor's dtype, shape and
/// data_offsets, and the optional <c>__metadata__</c> string map. Validation follows the reference
/// implementation: the tensors tile the data buffer exactly (sorted by offset, each starting where the
/// previous one ends, the last ending at end of file) and each byte range matches shape × dtype size.
/// </summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation's limit; real headers are kilobytes to a few megabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const int LengthPrefixBytes = 8;

    public sealed record Parsed(IReadOnlyList<SafetensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata);

    /// <param name="header">The JSON bytes after the 8-byte length prefix.</param>
    /// <param name="dataLength">Bytes after the header: what data_offsets index.</param>
    /// <param name="file">Named in error messages.</param>
    public static Parsed Parse(ReadOnlySpan<byte> header, long dataLength, string file)
    {
        var dataStart = LengthPrefixBytes + header.Length;
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw ModelFormatException.At(file, "header", LengthPrefixBytes, "does not start with '{'");
        }
        // System.Text.Json checks structure but not the UTF-8 inside strings; GetString would throw later.
        if (!Utf8.IsValid(header))
        {
            throw ModelFormatException.At(file, "header", LengthPrefixBytes, "is not valid UTF-8");
        }
        using var doc = ParseJson(header, file);
        try
        {
            return ParseEntries(doc.RootElement, dataStart, dataLength, file);
        }
        catch (InvalidOperationException)
        {
            // A string escape that decodes to an unpaired surrogate.
            throw ModelFormatException.At(file, "header", LengthPrefixBytes, "has a string with an invalid \\u escape");
        }
    }

    private static Parsed ParseEntries(JsonElement root, long dataStart, long dataLength, string file)
    {
        var tensors = new List<SafetensorsTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                throw ModelFormatException.At(file, Describe(property.Name), LengthPrefixBytes, "appears twice in the header");
            }
            if (property.Name == MetadataKey)
            {
                metadata = ParseMetadata(property.Value, file);
                continue;
            }
            tensors.Add(ParseTensor(property.Name, property.Value, dataStart, dataLength, file));
        }
        CheckTiling(tensors, dataStart, dataLength, file);
        return new Parsed(tensors, metadata);
    }

    /// <summary>How a tensor is named in messages: quoted and cut short, since names come from the file.</summary>
    public static string Describe(string name) => "tensor \"" + (name.Length <= 120 ? name : name[..120] + "…") + "\"";

    private static JsonDocument ParseJson(ReadOnlySpan<byte> header, string file)
    {
        try
        {
            var doc = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw ModelFormatException.At(file, "header", LengthPrefixBytes, "is not a JSON object");
            }
            return doc;
        }
        catch (JsonException e)
        {
            throw ModelFormatException.At(file, "header", LengthPrefixBytes,
                $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string file)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ModelFormatException.At(file, MetadataKey, LengthPrefixBytes, "is not an object of strings");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw ModelFormatException.At(file, $"{MetadataKey}.{entry.Name}", LengthPrefixBytes, "is not a string");
            }
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw ModelFormatException.At(file, $"{MetadataKey}.{entry.Name}", LengthPrefixBytes, "appears twice");
            }
        }
        return metadata;
    }

    private static SafetensorsTensorInfo ParseTensor(string name, JsonElement value, long dataStart, long dataLength, string file)
    {
        var what = Describe(name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ModelFormatException.At(file, what, LengthPrefixBytes, "is not an object with dtype, shape and data_offsets");
        }
        var dtypeName = Field(value, "dtype", what, file);
        if (dtypeName.ValueKind != JsonValueKind.String || !SafetensorsDTypes.TryParse(dtypeName.GetString()!, out var dtype))
        {
            throw ModelFormatException.At(file, what + " dtype", LengthPrefixBytes, $"unknown dtype {dtypeName.GetRawText()}");
        }
        var shape = Integers(Field(value, "shape", what, file), what + " shape", file);
        var offsets = Integers(Field(value, "data_offsets", what, file), what + " data_offsets", file);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw ModelFormatException.At(file, what + " data_offsets", LengthPrefixBytes, "must be [begin, end] with begin <= end");
        }
        if (offsets[1] > dataLength)
        {
            throw ModelFormatException.At(file, what + " data_offsets", dataStart,
                $"end {offsets[1]} is past the {dataLength}-byte data section (truncated file?)");
        }
        var byteSize = offsets[1] - offsets[0];
        long expected;
        try
        {
            expected = shape.Aggregate(checked((long)dtype.Size()), (a, b) => checked(a * b));
        }
        catch (OverflowException)
        {
            throw ModelFormatException.At(file, what + " shape", LengthPrefixBytes, "element count overflows");
        }
        if (expected != byteSize)
        {
            throw ModelFormatException.At(file, what + " data_offsets", dataStart + offsets[0],
                $"covers {byteSize} bytes but shape [{string.Join(", ", shape)}] of {dtype.Name()} needs {expected}");
        }
        return new SafetensorsTensorInfo(name, dtype, shape, dataStart + offsets[0], byteSize);
    }

    private static JsonElement Field(JsonElement tensor, string field, string what, string file)
        => tensor.TryGetProperty(field, out var value)
            ? value
            : throw ModelFormatException.At(file, $"{what} {field}", LengthPrefixBytes, "missing");

    private static long[] Integers(JsonElement value, string field, string file)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ModelFormatException.At(file, field, LengthPrefixBytes, "is not a list of integers");
        }
        var result = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var n) || n < 0)
            {
                throw ModelFormatException.At(file, field, LengthPrefixBytes, $"item {i} is not a non-negative integer");
            }
            result[i++] = n;
        }
        return result;
    }

    /// <summary>Sorted by offset, the tensors must cover [0, dataLength) without gaps or overlaps.</summary>
    private static void CheckTiling(List<SafetensorsTensorInfo> tensors, long dataStart, long dataLength, string file)
    {
        var expected = dataStart;
        foreach (var t in tensors.OrderBy(t => t.DataOffset).ThenBy(t => t.ByteSize))
        {
            if (t.DataOffset != expected)
            {
                var problem = t.DataOffset < expected ? "overlaps the previous tensor" : $"leaves a gap after offset {expected}";
                throw ModelFormatException.At(file, Describe(t.Name) + " data_offsets", t.DataOffset, problem);
            }
            expected += t.ByteSize;
        }
        if (expected != dataStart + dataLength)
        {
            var problem = expected > dataStart + dataLength
                ? $"tensor data ends at {expected}, past the end of the {dataStart + dataLength}-byte file (truncated?)"
                : $"tensor data ends at {expected} but the file has {dataStart + dataLength} bytes";
            throw ModelFormatException.At(file, "data_offsets", expected, problem);
        }
    }
}
