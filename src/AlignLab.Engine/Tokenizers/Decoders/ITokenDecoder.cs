namespace AlignLab.Engine.Tokenizers.Decoders;

/// <summary>
/// One stage of turning tokens back into text (Hugging Face decoders), rewriting the list in place.
/// <c>sequenceStart</c> is false when the pieces continue an earlier call (streaming), so
/// start-of-text rules (strip the prefix space) do not fire again.
/// </summary>
internal interface ITokenDecoder
{
    void Decode(List<DecodePiece> pieces, bool sequenceStart);
}
