namespace AlignLab.Engine.Tokenizers.AddedTokens;

/// <summary>
/// Either normalized text still to be pre-tokenized (<see cref="TokenId"/> = -1) or an added/special
/// token recognised in the input. <see cref="AtOrigin"/>: the text starts at offset 0 of the input.
/// </summary>
internal readonly record struct TextSegment(string? Text, int TokenId, bool AtOrigin)
{
    public static TextSegment Token(int id) => new(null, id, false);

    public bool IsToken => TokenId >= 0;
}
