namespace AlignLab.Engine.Tokenizers.ByteLevel;

/// <summary>
/// GPT-2's reversible byte-to-character table: every byte maps to a printable character so BPE can
/// work on text. Printable Latin-1 bytes map to themselves; the rest map to U+0100 onwards in byte order.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly short[] CharToByteTable = BuildCharToByte();

    public static char ByteToChar(byte b) => ByteToCharTable[b];

    /// <summary>The byte a character stands for, or -1 when the character is not in the alphabet.</summary>
    public static int CharToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    /// <summary>Maps the UTF-8 bytes of <paramref name="text"/> to alphabet characters.</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        Span<char> chars = byteCount <= 512 ? stackalloc char[byteCount] : new char[byteCount];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToCharTable[bytes[i]];
        }
        return new string(chars);
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var assigned = new bool[256];
        for (var b = 0; b < 256; b++)
        {
            if (b is >= 0x21 and <= 0x7E or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF)
            {
                table[b] = (char)b;
                assigned[b] = true;
            }
        }
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            if (!assigned[b])
            {
                table[b] = (char)next++;
            }
        }
        return table;
    }

    private static short[] BuildCharToByte()
    {
        var table = new short[324];
        Array.Fill(table, (short)-1);
        for (var b = 0; b < 256; b++)
        {
            table[ByteToCharTable[b]] = (short)b;
        }
        return table;
    }
}
