namespace AlignLab.Engine.Tokenizers.Decoders;

internal sealed class SequenceDecoder(IReadOnlyList<ITokenDecoder> steps) : ITokenDecoder
{
    public void Decode(List<DecodePiece> pieces, bool sequenceStart)
    {
        foreach (var step in steps)
        {
            step.Decode(pieces, sequenceStart);
        }
    }
}
