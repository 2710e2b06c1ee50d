using System.Globalization;

namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>Turns &lt;0xXX&gt; byte-fallback tokens into their byte.</summary>
internal sealed class ByteFallbackDecoder : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        for (var i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Text is { Length: 6 } t && t.StartsWith("<0x", StringComparison.Ordinal) && t[5] == '>'
                && byte.TryParse(t.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                pieces[i] = DecodePiece.OfBytes([b]);
            }
        }
    }
}
