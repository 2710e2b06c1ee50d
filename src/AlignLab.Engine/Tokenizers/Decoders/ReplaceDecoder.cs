using AlignLab.Engine.Tokenizers.Normalizers;
using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>Replaces a literal or regex in every text piece (e.g. ▁ → space for SentencePiece vocabularies).</summary>
internal sealed class ReplaceDecoder(string? literal, CategoryRegex? regex, string content) : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        for (var i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Text is { } text)
            {
                pieces[i] = DecodePiece.OfText(ReplaceNormalizer.Apply(text, literal, regex, content));
            }
        }
    }
}
