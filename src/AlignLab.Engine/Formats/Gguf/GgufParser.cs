using System.Numerics;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>Everything a GGUF header says, validated against the file's length.</summary>
internal sealed record GgufLayout(
    uint Version,
    Dictionary<string, GgufValue> Metadata,
    string[] MetadataKeys,
    GgufTensorInfo[] Tensors,
    Dictionary<string, GgufTensorInfo> TensorsByName,
    uint Alignment,
    long DataOffset);

/// <summary>
/// Parses a GGUF v2/v3 header (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md):
/// magic, version, tensor count, metadata count, the metadata key/value pairs, the tensor infos,
/// then padding to the alignment, then the tensor data. It only reads the header; tensor data is
/// bounds-checked but never touched.
/// </summary>
internal static class GgufParser
{
    public const uint Magic = 0x46554747; // "GGUF" read as a little-endian UInt32
    public const uint DefaultAlignment = 32;
    public const string AlignmentKey = "general.alignment";

    /// <summary>Arrays of arrays deeper than this are refused, so recursion stays shallow.</summary>
    public const int MaxArrayDepth = 8;

    private const int MaxDims = 4;

    // The smallest encodings, used to bound counts by the bytes left before allocating anything.
    private const int MinKeyValueBytes = 8 + 4 + 1;                // empty key, type, one-byte value
    private const int MinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;      // empty name, n_dims, one dim, type, offset
    private const int MinNestedArrayBytes = 4 + 8;                 // element type and count

    /// <param name="header">The file's bytes from the start; may be shorter than the file when it is over 2 GiB.</param>
    /// <param name="fileLength">The whole file's length, against which tensor data is checked.</param>
    /// <param name="file">The path or name for error messages.</param>
    public static GgufLayout Parse(ReadOnlySpan<byte> header, long fileLength, string? file)
    {
        var cursor = new GgufCursor(header, file);
        var version = ReadPreamble(ref cursor);

        var tensorCount = ReadCount(ref cursor, new GgufField("tensor_count"), MinTensorInfoBytes);
        var metadataCount = ReadCount(ref cursor, new GgufField("metadata_kv_count"), MinKeyValueBytes);

        var metadata = new Dictionary<string, GgufValue>((int)metadataCount, StringComparer.Ordinal);
        var keys = new string[metadataCount];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ReadKeyValue(ref cursor, i, metadata);
        }

        var alignment = ReadAlignment(ref cursor, metadata);

        var tensors = new GgufTensorInfo[tensorCount];
        var offsetFields = new int[tensorCount]; // where each tensor's offset was read, for messages
        var byName = new Dictionary<string, GgufTensorInfo>((int)tensorCount, StringComparer.Ordinal);
        for (var i = 0; i < tensors.Length; i++)
        {
            var nameStart = cursor.Position;
            tensors[i] = ReadTensorInfo(ref cursor, i, alignment, out offsetFields[i]);
            if (!byName.TryAdd(tensors[i].Name, tensors[i]))
            {
                throw cursor.Error(new GgufField("tensor", i, "name"), nameStart,
                    $"duplicate tensor name '{GgufText.Printable(tensors[i].Name)}' (also tensor[{byName[tensors[i].Name].Index}])");
            }
        }

        // The data section starts at the next multiple of the alignment after the header.
        var dataOffset = AlignUp(cursor.Position, alignment);
        CheckTensorData(ref cursor, tensors, offsetFields, dataOffset, fileLength);
        return new GgufLayout(version, metadata, keys, tensors, byName, alignment, dataOffset);
    }

    private static uint ReadPreamble(ref GgufCursor cursor)
    {
        var magic = cursor.ReadUInt32(new GgufField("magic"));
        if (magic != Magic)
        {
            throw cursor.Error(new GgufField("magic"), 0, $"not a GGUF file (magic 0x{magic:x8}, expected 0x{Magic:x8} \"GGUF\")");
        }
        var version = cursor.ReadUInt32(new GgufField("version"));
        if (version is 2 or 3)
        {
            return version;
        }
        // A big-endian writer stores 3 as 00 00 00 03, which reads here as 0x03000000.
        var problem = version switch
        {
            1 => "GGUF v1 is not supported (only v2 and v3); re-convert the model with a current llama.cpp",
            _ when (version & 0xFFFF) == 0 => $"version reads as 0x{version:x8}: this is a big-endian GGUF file, and only little-endian files are supported",
            _ => $"unsupported GGUF version {version} (only v2 and v3)",
        };
        throw cursor.Error(new GgufField("version"), 4, problem);
    }

    private static long ReadCount(ref GgufCursor cursor, GgufField field, int minBytesEach)
    {
        var start = cursor.Position;
        var count = cursor.ReadUInt64(field);
        if (count > (ulong)(cursor.Remaining / minBytesEach))
        {
            throw cursor.Error(field, start, $"count {count} needs at least {minBytesEach} bytes each but only {cursor.Remaining} bytes are left");
        }
        return (long)count;
    }

    private static string ReadKeyValue(ref GgufCursor cursor, int index, Dictionary<string, GgufValue> metadata)
    {
        var keyField = new GgufField("metadata", index, "key");
        var keyStart = cursor.Position;
        var key = cursor.ReadString(keyField);
        if (metadata.ContainsKey(key))
        {
            throw cursor.Error(keyField, keyStart, $"duplicate metadata key '{GgufText.Printable(key)}'");
        }
        var typeStart = cursor.Position;
        var type = cursor.ReadUInt32(new GgufField("metadata", index, "type"));
        var valueStart = cursor.Position;
        var value = ReadValue(ref cursor, (GgufValueType)type, new GgufField(key), typeStart);
        metadata.Add(key, GgufValue.Parsed((GgufValueType)type, value.Value, value.ElementType, key, cursor.File, valueStart));
        return key;
    }

    /// <summary>A scalar as a boxed value, or an array as its typed element array.</summary>
    private readonly record struct RawValue(object Value, GgufValueType ElementType);

    private static RawValue ReadValue(ref GgufCursor cursor, GgufValueType type, GgufField field, long typeStart)
    {
        var start = cursor.Position;
        return type switch
        {
            GgufValueType.UInt8 => new(cursor.ReadUInt8(field), default),
            GgufValueType.Int8 => new((sbyte)cursor.ReadUInt8(field), default),
            GgufValueType.UInt16 => new(cursor.ReadUInt16(field), default),
            GgufValueType.Int16 => new((short)cursor.ReadUInt16(field), default),
            GgufValueType.UInt32 => new(cursor.ReadUInt32(field), default),
            GgufValueType.Int32 => new((int)cursor.ReadUInt32(field), default),
            GgufValueType.Float32 => new(BitConverter.UInt32BitsToSingle(cursor.ReadUInt32(field)), default),
            GgufValueType.UInt64 => new(cursor.ReadUInt64(field), default),
            GgufValueType.Int64 => new((long)cursor.ReadUInt64(field), default),
            GgufValueType.Float64 => new(BitConverter.UInt64BitsToDouble(cursor.ReadUInt64(field)), default),
            GgufValueType.Bool => new(ToBool(cursor.ReadUInt8(field), ref cursor, field, start), default),
            GgufValueType.String => new(cursor.ReadString(field), default),
            GgufValueType.Array => ReadArray(ref cursor, field, depth: 1),
            _ => throw cursor.Error(field, typeStart, $"unknown value type {(uint)type}"),
        };
    }

    private static bool ToBool(byte b, ref GgufCursor cursor, GgufField field, long offset)
        => b <= 1 ? b == 1 : throw cursor.Error(field, offset, $"bool byte is {b}, expected 0 or 1");

    private static RawValue ReadArray(ref GgufCursor cursor, GgufField field, int depth)
    {
        var start = cursor.Position;
        if (depth > MaxArrayDepth)
        {
            throw cursor.Error(field, start, $"arrays nested deeper than {MaxArrayDepth} levels");
        }
        var elementType = (GgufValueType)cursor.ReadUInt32(field);
        var minBytes = MinEncodedBytes(elementType);
        if (minBytes == 0)
        {
            throw cursor.Error(field, start, $"unknown array element type {(uint)elementType}");
        }
        var countStart = cursor.Position;
        var count = cursor.ReadUInt64(field);
        if (count > (ulong)(cursor.Remaining / minBytes))
        {
            throw cursor.Error(field, countStart,
                $"array of {count} {elementType} needs at least {minBytes} bytes each but only {cursor.Remaining} bytes are left");
        }
        var n = (long)count;
        object items = elementType switch
        {
            GgufValueType.UInt8 => cursor.ReadArray<byte>(n, field),
            GgufValueType.Int8 => cursor.ReadArray<sbyte>(n, field),
            GgufValueType.UInt16 => cursor.ReadArray<ushort>(n, field),
            GgufValueType.Int16 => cursor.ReadArray<short>(n, field),
            GgufValueType.UInt32 => cursor.ReadArray<uint>(n, field),
            GgufValueType.Int32 => cursor.ReadArray<int>(n, field),
            GgufValueType.Float32 => cursor.ReadArray<float>(n, field),
            GgufValueType.UInt64 => cursor.ReadArray<ulong>(n, field),
            GgufValueType.Int64 => cursor.ReadArray<long>(n, field),
            GgufValueType.Float64 => cursor.ReadArray<double>(n, field),
            GgufValueType.Bool => ReadBools(ref cursor, n, field),
            GgufValueType.String => ReadStrings(ref cursor, n, field),
            _ => ReadNestedArrays(ref cursor, n, field, depth),
        };
        return new RawValue(items, elementType);
    }

    /// <summary>Bytes the smallest element of this type takes; 0 for an unknown type.</summary>
    private static int MinEncodedBytes(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        GgufValueType.String => 8,
        GgufValueType.Array => MinNestedArrayBytes,
        _ => 0,
    };

    private static bool[] ReadBools(ref GgufCursor cursor, long count, GgufField field)
    {
        var start = cursor.Position;
        var bytes = cursor.Take(count, field);
        var items = new bool[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            items[i] = ToBool(bytes[i], ref cursor, new GgufField(field.Name, i), start + i);
        }
        return items;
    }

    private static string[] ReadStrings(ref GgufCursor cursor, long count, GgufField field)
    {
        var items = new string[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = cursor.ReadString(new GgufField(field.Name, i));
        }
        return items;
    }

    private static GgufValue[] ReadNestedArrays(ref GgufCursor cursor, long count, GgufField field, int depth)
    {
        var items = new GgufValue[count];
        for (var i = 0; i < items.Length; i++)
        {
            var itemKey = $"{field.Name}[{i}]";
            var start = cursor.Position;
            var inner = ReadArray(ref cursor, new GgufField(itemKey), depth + 1);
            items[i] = GgufValue.Parsed(GgufValueType.Array, inner.Value, inner.ElementType, itemKey, cursor.File, start);
        }
        return items;
    }

    private static uint ReadAlignment(ref GgufCursor cursor, Dictionary<string, GgufValue> metadata)
    {
        if (!metadata.TryGetValue(AlignmentKey, out var value))
        {
            return DefaultAlignment;
        }
        if (value.Type != GgufValueType.UInt32)
        {
            throw cursor.Error(new GgufField(AlignmentKey), value.Offset, $"is {value.Type}, expected UInt32");
        }
        var alignment = (uint)value.Value;
        if (!BitOperations.IsPow2(alignment))
        {
            throw cursor.Error(new GgufField(AlignmentKey), value.Offset, $"alignment {alignment} is not a nonzero power of two");
        }
        return alignment;
    }

    private static GgufTensorInfo ReadTensorInfo(ref GgufCursor cursor, int index, uint alignment, out int offsetField)
    {
        var name = cursor.ReadString(new GgufField("tensor", index, "name"));

        var dimsField = new GgufField("tensor", index, "n_dims");
        var dimsStart = cursor.Position;
        var nDims = cursor.ReadUInt32(dimsField);
        if (nDims is 0 or > MaxDims)
        {
            throw cursor.Error(dimsField, dimsStart, $"n_dims is {nDims}, expected 1 to {MaxDims}");
        }
        var shape = new long[nDims];
        var elements = 1L;
        for (var d = 0; d < shape.Length; d++)
        {
            var neField = new GgufField("tensor", index, $"ne[{d}]");
            var neStart = cursor.Position;
            var ne = cursor.ReadUInt64(neField);
            if (ne is 0 or > long.MaxValue)
            {
                throw cursor.Error(neField, neStart, $"dimension {ne} is out of range (1 to {long.MaxValue})");
            }
            shape[d] = (long)ne;
            if (elements > long.MaxValue / shape[d])
            {
                throw cursor.Error(neField, neStart, $"element count of shape [{string.Join(", ", shape[..(d + 1)])}] overflows Int64");
            }
            elements *= shape[d];
        }

        var typeField = new GgufField("tensor", index, "type");
        var typeStart = cursor.Position;
        var typeId = cursor.ReadUInt32(typeField);
        var info = TypeInfo(ref cursor, typeId, typeField, typeStart);
        if (shape[0] % info.BlockSize != 0)
        {
            throw cursor.Error(typeField, typeStart, $"ne[0] = {shape[0]} is not a multiple of the {info.Name} block size {info.BlockSize}");
        }
        if (!info.TryGetByteSize(elements, out var byteSize))
        {
            throw cursor.Error(typeField, typeStart, $"{elements} {info.Name} elements overflow an Int64 byte size");
        }

        var offsetFieldName = new GgufField("tensor", index, "offset");
        offsetField = cursor.Position;
        var offset = cursor.ReadUInt64(offsetFieldName);
        if (offset % alignment != 0)
        {
            throw cursor.Error(offsetFieldName, offsetField, $"data offset {offset} is not a multiple of the alignment {alignment}");
        }
        if (offset > long.MaxValue)
        {
            throw cursor.Error(offsetFieldName, offsetField, $"data offset {offset} is out of range");
        }
        return new GgufTensorInfo(index, name, shape, (GgmlType)typeId, (long)offset, elements, byteSize);
    }

    private static GgmlTypeInfo TypeInfo(ref GgufCursor cursor, uint typeId, GgufField field, long offset)
    {
        if (!GgmlTypeInfo.TryGet(typeId, out var info))
        {
            throw cursor.Error(field, offset, $"unknown ggml type {typeId}");
        }
        if (info.IsRemoved)
        {
            throw cursor.Error(field, offset, $"ggml type {typeId} ({info.Name}) was removed from llama.cpp and cannot appear in a GGUF file");
        }
        return info;
    }

    /// <summary>Every tensor's bytes must lie inside the data section and no two may share a byte.</summary>
    private static void CheckTensorData(ref GgufCursor cursor, GgufTensorInfo[] tensors, int[] offsetFields, long dataOffset, long fileLength)
    {
        var dataBytes = fileLength - dataOffset; // negative when the header's padding is cut off
        foreach (var t in tensors)
        {
            if (t.Offset > dataBytes || t.ByteSize > dataBytes - t.Offset)
            {
                throw cursor.Error(new GgufField("tensor", t.Index, "offset"), offsetFields[t.Index],
                    $"data of '{GgufText.Printable(t.Name)}' [{dataOffset}+{t.Offset}, +{t.ByteSize} bytes) runs past the end of the file ({fileLength} bytes)");
            }
        }
        var byOffset = (GgufTensorInfo[])tensors.Clone();
        Array.Sort(byOffset, (a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 1; i < byOffset.Length; i++)
        {
            var (prev, t) = (byOffset[i - 1], byOffset[i]);
            if (t.Offset < prev.Offset + prev.ByteSize)
            {
                throw cursor.Error(new GgufField("tensor", t.Index, "offset"), offsetFields[t.Index],
                    $"data of '{GgufText.Printable(t.Name)}' at {t.Offset} overlaps tensor[{prev.Index}] '{GgufText.Printable(prev.Name)}' ({prev.Offset}+{prev.ByteSize})");
            }
        }
    }

    private static long AlignUp(long position, uint alignment) => (position + alignment - 1) / alignment * alignment;
}
