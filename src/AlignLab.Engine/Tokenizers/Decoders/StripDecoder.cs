namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing <c>content</c> characters from each piece.</summary>
internal sealed class StripDecoder(char content, int start, int stop) : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        for (var i = 0; i < pieces.Count; i++)
        {
            // A streamed continuation's first piece is not the start of the text.
            var left = i == 0 && !sequenceStart ? 0 : start;
            var p = pieces[i];
            if (p.Text is { } text)
            {
                var a = 0;
                while (a < left && a < text.Length && text[a] == content)
                {
                    a++;
                }
                var b = text.Length;
                while (text.Length - b < stop && b > a && text[b - 1] == content)
                {
                    b--;
                }
                pieces[i] = DecodePiece.OfText(text[a..b]);
            }
            else if (p.Bytes is { } bytes && content < 0x80)
            {
                var a = 0;
                while (a < left && a < bytes.Length && bytes[a] == content)
                {
                    a++;
                }
                var b = bytes.Length;
                while (bytes.Length - b < stop && b > a && bytes[b - 1] == content)
                {
                    b--;
                }
                pieces[i] = DecodePiece.OfBytes(bytes[a..b]);
            }
        }
    }
}
