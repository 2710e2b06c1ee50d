namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>When Metaspace puts a replacement character in front of a piece.</summary>
internal enum PrependScheme
{
    /// <summary>Only in front of the piece that starts the whole input.</summary>
    First,
    Always,
    Never,
}

/// <summary>
/// Hugging Face "Metaspace" (SentencePiece style): spaces become the replacement character (▁),
/// a replacement is prepended per <see cref="PrependScheme"/>, and with <c>split</c> the piece is cut
/// in front of every replacement character.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme prependScheme, bool split) : IPreTokenizer
{
    public char Replacement { get; } = replacement;

    public PrependScheme PrependScheme { get; } = prependScheme;

    public void PreTokenize(Piece piece, List<Piece> output)
    {
        var text = piece.Text.Replace(' ', Replacement);
        var prepend = PrependScheme switch
        {
            PrependScheme.Always => true,
            PrependScheme.First => piece.AtOrigin,
            _ => false,
        };
        if (prepend && !text.StartsWith(Replacement))
        {
            text = Replacement + text;
        }
        piece = piece with { Text = text };
        if (!split)
        {
            output.Add(piece);
            return;
        }
        var matches = new List<(int Start, int Length)>();
        for (var i = text.IndexOf(Replacement); i >= 0; i = text.IndexOf(Replacement, i + 1))
        {
            matches.Add((i, 1));
        }
        Splitter.Split(piece, matches, SplitBehavior.MergedWithNext, invert: false, output);
    }
}
