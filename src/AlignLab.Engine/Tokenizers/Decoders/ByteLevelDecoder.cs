using System.Text;
using AlignLab.Engine.Tokenizers.ByteLevel;

namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>Maps byte-level alphabet characters back to bytes; a token with any other character is kept as its UTF-8 (Hugging Face does the same).</summary>
internal sealed class ByteLevelDecoder : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        for (var i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Text is { } text)
            {
                pieces[i] = DecodePiece.OfBytes(ToBytes(text));
            }
        }
    }

    public static byte[] ToBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (var k = 0; k < text.Length; k++)
        {
            var b = ByteLevelAlphabet.CharToByte(text[k]);
            if (b < 0)
            {
                return Encoding.UTF8.GetBytes(text);
            }
            bytes[k] = (byte)b;
        }
        return bytes;
    }
}
