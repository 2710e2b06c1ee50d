using System.Buffers.Binary;
using System.Text;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Tests.Formats.Gguf;

/// <summary>
/// Hand-assembles GGUF bytes, including ones no writer would produce (duplicates, bad types, wrong
/// counts), for the hostile-file tests. Offsets are recorded so tests can assert them in messages.
/// </summary>
internal sealed class GgufBytes
{
    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    public static GgufBytes Header(uint version = 3, ulong tensors = 0, ulong kvs = 0)
        => new GgufBytes().Raw("GGUF"u8).U32(version).U64(tensors).U64(kvs);

    public GgufBytes Raw(ReadOnlySpan<byte> bytes)
    {
        _bytes.AddRange(bytes.ToArray());
        return this;
    }

    public GgufBytes U8(byte v) => Raw([v]);

    public GgufBytes U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return Raw(b);
    }

    public GgufBytes U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return Raw(b);
    }

    public GgufBytes Str(string s) => StrBytes(Encoding.UTF8.GetBytes(s));

    public GgufBytes StrBytes(byte[] utf8) => U64((ulong)utf8.Length).Raw(utf8);

    public GgufBytes KvU32(string key, uint v) => Str(key).U32((uint)GgufValueType.UInt32).U32(v);

    public GgufBytes KvString(string key, string v) => Str(key).U32((uint)GgufValueType.String).Str(v);

    /// <summary>A tensor info: name, n_dims, dims, type, offset.</summary>
    public GgufBytes Tensor(string name, long[] shape, GgmlType type, ulong offset)
    {
        Str(name).U32((uint)shape.Length);
        foreach (var d in shape)
        {
            U64((ulong)d);
        }
        return U32((uint)type).U64(offset);
    }

    /// <summary>Zero padding up to the next multiple of <paramref name="alignment"/>, then <paramref name="dataBytes"/> zero bytes.</summary>
    public GgufBytes Data(int dataBytes, int alignment = 32)
    {
        while (Position % alignment != 0)
        {
            U8(0);
        }
        return Raw(new byte[dataBytes]);
    }

    public byte[] ToArray() => [.. _bytes];
}
