namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>Replacement character back to spaces; the space Metaspace prepended to the text is dropped.</summary>
internal sealed class MetaspaceDecoder(char replacement, bool prependsSpace) : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        for (var i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Text is { } text)
            {
                text = text.Replace(replacement, ' ');
                if (i == 0 && sequenceStart && prependsSpace && text.StartsWith(' '))
                {
                    text = text[1..];
                }
                pieces[i] = DecodePiece.OfText(text);
            }
        }
    }
}
