using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>
/// Builds a GGUF v3 file: metadata in the order added, then tensor infos, then each tensor's data
/// at the next multiple of the alignment. <see cref="Write"/> goes through a temporary file and a
/// rename, so a reader never sees a half-written model.
/// </summary>
public sealed class GgufWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<(string Key, GgufValue Value)> _metadata = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);

    private sealed record PendingTensor(string Name, long[] Shape, GgmlType Type, ReadOnlyMemory<byte> Data);

    /// <param name="alignment">Data alignment; a power of two. Other than 32 it is recorded as <c>general.alignment</c>.</param>
    public GgufWriter(uint alignment = GgufParser.DefaultAlignment)
    {
        if (!BitOperations.IsPow2(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be a nonzero power of two");
        }
        Alignment = alignment;
        if (alignment != GgufParser.DefaultAlignment)
        {
            AddMetadata(GgufParser.AlignmentKey, GgufValue.From(alignment));
        }
    }

    public uint Alignment { get; }

    public void AddMetadata(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key == GgufParser.AlignmentKey)
        {
            // The alignment is the constructor's; repeating the same value is harmless.
            if (value.Type != GgufValueType.UInt32 || (uint)value.Value != Alignment)
            {
                throw new ArgumentException($"{GgufParser.AlignmentKey} must be the writer's alignment, UInt32 {Alignment}", nameof(value));
            }
            if (_keys.Contains(key))
            {
                return;
            }
        }
        if (!_keys.Add(key))
        {
            throw new ArgumentException($"duplicate metadata key '{key}'", nameof(key));
        }
        _metadata.Add((key, value));
    }

    public void AddMetadata(string key, string value) => AddMetadata(key, GgufValue.From(value));

    public void AddMetadata(string key, uint value) => AddMetadata(key, GgufValue.From(value));

    public void AddMetadata(string key, int value) => AddMetadata(key, GgufValue.From(value));

    public void AddMetadata(string key, ulong value) => AddMetadata(key, GgufValue.From(value));

    public void AddMetadata(string key, float value) => AddMetadata(key, GgufValue.From(value));

    public void AddMetadata(string key, bool value) => AddMetadata(key, GgufValue.From(value));

    public void AddMetadata(string key, string[] values) => AddMetadata(key, GgufValue.FromArray(values));

    public void AddMetadata(string key, float[] values) => AddMetadata(key, GgufValue.FromArray(values));

    public void AddMetadata(string key, int[] values) => AddMetadata(key, GgufValue.FromArray(values));

    /// <summary>
    /// Adds a tensor whose bytes are already in <paramref name="type"/>'s layout. The shape is in
    /// GGUF order, ne0 (contiguous) first.
    /// </summary>
    public void AddTensor(string name, long[] shape, GgmlType type, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        var info = GgmlTypeInfo.TryGet((uint)type, out var i) && !i.IsRemoved ? i : throw new ArgumentOutOfRangeException(nameof(type), type, "not a ggml type a GGUF file can hold");
        if (shape.Length is 0 or > 4 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] must have 1 to 4 positive dimensions", nameof(shape));
        }
        var elements = shape.Aggregate(1L, (n, d) => checked(n * d));
        if (shape[0] % info.BlockSize != 0 || !info.TryGetByteSize(elements, out var bytes))
        {
            throw new ArgumentException($"ne0 = {shape[0]} is not a multiple of the {info.Name} block size {info.BlockSize}", nameof(shape));
        }
        if (data.Length != bytes)
        {
            throw new ArgumentException($"{elements} {info.Name} values take {bytes} bytes, but {data.Length} were given", nameof(data));
        }
        if (!_tensorNames.Add(name))
        {
            throw new ArgumentException($"duplicate tensor name '{name}'", nameof(name));
        }
        _tensors.Add(new PendingTensor(name, (long[])shape.Clone(), type, data));
    }

    /// <summary>Adds a tensor from F32 values, converted or quantized to <paramref name="type"/> by the reference quantizer.</summary>
    public void AddTensor(string name, long[] shape, ReadOnlySpan<float> values, GgmlType type = GgmlType.F32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var info = GgmlTypeInfo.Get(type);
        if (values.Length % info.BlockSize != 0)
        {
            throw new ArgumentException($"{values.Length} values are not a whole number of {info.Name} blocks", nameof(values));
        }
        AddTensor(name, shape, type, GgmlQuantizer.Quantize(type, values));
    }

    /// <summary>Writes the file atomically: to a temporary file beside <paramref name="path"/>, then renamed over it.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, WriteTo);
    }

    public byte[] ToArray()
    {
        using var memory = new MemoryStream();
        WriteTo(memory);
        return memory.ToArray();
    }

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var output = new Output(stream);
        output.UInt32(GgufParser.Magic);
        output.UInt32(3);
        output.UInt64((ulong)_tensors.Count);
        output.UInt64((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            output.String(key);
            output.UInt32((uint)value.Type);
            WriteValue(output, value);
        }

        var offset = 0L;
        var offsets = new long[_tensors.Count];
        for (var i = 0; i < _tensors.Count; i++)
        {
            var t = _tensors[i];
            offsets[i] = offset;
            output.String(t.Name);
            output.UInt32((uint)t.Shape.Length);
            foreach (var d in t.Shape)
            {
                output.UInt64((ulong)d);
            }
            output.UInt32((uint)t.Type);
            output.UInt64((ulong)offset);
            offset = AlignUp(offset + t.Data.Length);
        }

        output.Pad(AlignUp(output.Position) - output.Position);
        for (var i = 0; i < _tensors.Count; i++)
        {
            var t = _tensors[i];
            output.Bytes(t.Data.Span);
            var end = offsets[i] + t.Data.Length;
            output.Pad(AlignUp(end) - end);
        }
        stream.Flush();
    }

    private long AlignUp(long n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void WriteValue(Output output, GgufValue value)
    {
        switch (value.Value)
        {
            case byte v: output.Bytes([v]); break;
            case sbyte v: output.Bytes([(byte)v]); break;
            case ushort v: output.UInt16(v); break;
            case short v: output.UInt16((ushort)v); break;
            case uint v: output.UInt32(v); break;
            case int v: output.UInt32((uint)v); break;
            case float v: output.UInt32(BitConverter.SingleToUInt32Bits(v)); break;
            case bool v: output.Bytes([v ? (byte)1 : (byte)0]); break;
            case string v: output.String(v); break;
            case ulong v: output.UInt64(v); break;
            case long v: output.UInt64((ulong)v); break;
            case double v: output.UInt64(BitConverter.DoubleToUInt64Bits(v)); break;
            case Array items: WriteArray(output, value.ElementType, items); break;
            default: throw new InvalidOperationException($"unexpected GGUF value {value.Value.GetType()}");
        }
    }

    private static void WriteArray(Output output, GgufValueType elementType, Array items)
    {
        output.UInt32((uint)elementType);
        output.UInt64((ulong)items.Length);
        switch (items)
        {
            case string[] strings:
                foreach (var s in strings)
                {
                    output.String(s);
                }
                break;
            case GgufValue[] nested:
                foreach (var inner in nested)
                {
                    WriteArray(output, inner.ElementType, (Array)inner.Value);
                }
                break;
            case bool[] bools:
                foreach (var b in bools)
                {
                    output.Bytes([b ? (byte)1 : (byte)0]);
                }
                break;
            default:
                // Fixed-size numbers: the in-memory little-endian layout is the file layout.
                output.Bytes(ToBytes(items));
                break;
        }
    }

    private static byte[] ToBytes(Array items)
    {
        var bytes = new byte[Buffer.ByteLength(items)];
        Buffer.BlockCopy(items, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Little-endian primitives onto a stream, counting the bytes written.</summary>
    private sealed class Output(Stream stream)
    {
        private readonly byte[] _scratch = new byte[8];

        public long Position { get; private set; }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            Position += bytes.Length;
        }

        public void UInt16(ushort v)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_scratch, v);
            Bytes(_scratch.AsSpan(0, 2));
        }

        public void UInt32(uint v)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, v);
            Bytes(_scratch.AsSpan(0, 4));
        }

        public void UInt64(ulong v)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_scratch, v);
            Bytes(_scratch.AsSpan(0, 8));
        }

        /// <summary>A GGUF string: UInt64 byte length, then UTF-8 (text that is not valid Unicode is refused).</summary>
        public void String(string s)
        {
            var bytes = StrictUtf8.GetBytes(s);
            UInt64((ulong)bytes.Length);
            Bytes(bytes);
        }

        public void Pad(long count)
        {
            Bytes(new byte[count]);
        }
    }
}
