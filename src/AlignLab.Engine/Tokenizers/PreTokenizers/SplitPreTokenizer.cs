using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>Hugging Face "Split": splits on a regex (or literal) with a delimiter behavior and optional inversion.</summary>
internal sealed class SplitPreTokenizer(CategoryRegex pattern, SplitBehavior behavior, bool invert) : IPreTokenizer
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    public void PreTokenize(Piece piece, List<Piece> output)
    {
        var matches = t_matches ??= [];
        matches.Clear();
        pattern.Matches(piece.Text, 0, piece.Text.Length, matches);
        if (matches.Count == 1 && matches[0].Length == piece.Text.Length && !invert && behavior != SplitBehavior.Removed)
        {
            // The whole piece is one match (the usual case for the 2nd..nth regex of a llama.cpp list).
            output.Add(piece);
            return;
        }
        Splitter.Split(piece, matches, behavior, invert, output);
    }
}
