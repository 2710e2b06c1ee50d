using System.Text;

namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>Joins all pieces into one (text if all are text, else bytes).</summary>
internal sealed class FuseDecoder : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        if (pieces.Count <= 1)
        {
            return;
        }
        var allText = true;
        foreach (var p in pieces)
        {
            allText &= p.Text is not null;
        }
        DecodePiece fused;
        if (allText)
        {
            var sb = new StringBuilder();
            foreach (var p in pieces)
            {
                sb.Append(p.Text);
            }
            fused = DecodePiece.OfText(sb.ToString());
        }
        else
        {
            var bytes = new List<byte>();
            foreach (var p in pieces)
            {
                p.AppendTo(bytes);
            }
            fused = DecodePiece.OfBytes([.. bytes]);
        }
        pieces.Clear();
        pieces.Add(fused);
    }
}
