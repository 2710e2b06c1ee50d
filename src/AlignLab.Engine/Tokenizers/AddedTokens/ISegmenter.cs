namespace AlignLab.Engine.Tokenizers.AddedTokens;

/// <summary>
/// First stage of encoding: cuts the input at added / special tokens and normalizes the text in
/// between. Hugging Face and llama.cpp differ in how they find those tokens, hence two implementations.
/// </summary>
internal interface ISegmenter
{
    void Segment(string text, bool parseSpecial, List<TextSegment> output);
}
