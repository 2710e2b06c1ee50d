using System.Text;

namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>
/// A token on its way back to text: still text (<see cref="Text"/>) or already raw bytes
/// (<see cref="Bytes"/>, after ByteLevel / ByteFallback). Keeping bytes until the very end lets the
/// streaming decoder hold back incomplete UTF-8 sequences.
/// </summary>
internal readonly record struct DecodePiece(string? Text, byte[]? Bytes)
{
    public static DecodePiece OfText(string text) => new(text, null);

    public static DecodePiece OfBytes(byte[] bytes) => new(null, bytes);

    public void AppendTo(List<byte> output)
    {
        if (Bytes is not null)
        {
            output.AddRange(Bytes);
        }
        else if (Text is not null)
        {
            output.AddRange(Encoding.UTF8.GetBytes(Text));
        }
    }
}
