using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>
/// Names the field being read, for error messages, without building a string on the happy path:
/// "tensor[3].name" is ("tensor", 3, "name"), an array element "tokenizer.ggml.tokens[7]" is (key, 7).
/// </summary>
internal readonly record struct GgufField(string Name, long Index = -1, string? Member = null)
{
    public override string ToString()
    {
        var name = GgufText.Printable(Name);
        if (Index < 0)
        {
            return name;
        }
        var indexed = string.Create(CultureInfo.InvariantCulture, $"{name}[{Index}]");
        return Member is null ? indexed : indexed + "." + Member;
    }
}

/// <summary>
/// A bounds-checked little-endian reader over the header bytes. Every read checks what is left
/// first, so a hostile length or count fails with the field and offset instead of reading past the
/// end or allocating a huge buffer.
/// </summary>
internal ref struct GgufCursor
{
    private readonly ReadOnlySpan<byte> _data;

    public GgufCursor(ReadOnlySpan<byte> data, string? file)
    {
        _data = data;
        File = file;
    }

    public string? File { get; }

    public int Position { get; private set; }

    public readonly long Remaining => _data.Length - Position;

    public ModelFormatException Error(GgufField field, long offset, string problem)
        => ModelFormatException.At(File, field.ToString(), offset, problem);

    /// <summary>Takes <paramref name="count"/> bytes; <paramref name="start"/> is where the field began, for the message.</summary>
    public ReadOnlySpan<byte> Take(long count, GgufField field, long start)
    {
        if (count > Remaining)
        {
            throw Error(field, start, Position == start
                ? $"needs {count} bytes but the file ends after {Remaining}"
                : $"needs {count} more bytes but the file ends after {Remaining}");
        }
        var bytes = _data.Slice(Position, (int)count);
        Position += (int)count;
        return bytes;
    }

    public ReadOnlySpan<byte> Take(long count, GgufField field) => Take(count, field, Position);

    public byte ReadUInt8(GgufField field) => Take(1, field)[0];

    public ushort ReadUInt16(GgufField field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public uint ReadUInt32(GgufField field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong ReadUInt64(GgufField field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    /// <summary>A GGUF string: a UInt64 byte length then UTF-8 bytes (no terminator). Invalid UTF-8 is an error.</summary>
    public string ReadString(GgufField field)
    {
        var start = Position;
        var length = ReadUInt64(field);
        if (length > (ulong)Remaining)
        {
            throw Error(field, start, $"string length {length} exceeds the {Remaining} bytes left");
        }
        var bytes = Take((long)length, field, start);
        if (!Utf8.IsValid(bytes))
        {
            var bad = FirstInvalidUtf8(bytes);
            throw Error(field, start, $"string is not valid UTF-8 (byte 0x{bytes[bad]:x2} at offset {Position - bytes.Length + bad})");
        }
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Reads <paramref name="count"/> fixed-size little-endian values straight into a typed array.
    /// The caller has bounded the count by the bytes left.
    /// </summary>
    public T[] ReadArray<T>(long count, GgufField field) where T : unmanaged
    {
        var bytes = Take(count * Unsafe.SizeOf<T>(), field);
        // GGUF is little-endian and so is every platform .NET runs on here; GgufFile checks that once.
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            i += consumed;
        }
        return Math.Min(i, bytes.Length - 1);
    }
}
