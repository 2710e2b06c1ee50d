using AlignLab.Engine.Tokenizers.ByteLevel;
using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>
/// Hugging Face "ByteLevel" pre-tokenizer: optional prefix space, optional GPT-2 regex split, then
/// every piece is rewritten into the byte-level alphabet (<see cref="ByteLevelAlphabet"/>).
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    /// <summary>GPT-2's split regex, as Hugging Face's ByteLevel uses it.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly SplitPreTokenizer Gpt2Split = new(CategoryRegex.FromDotNet(Gpt2Pattern), SplitBehavior.Isolated, invert: false);

    [ThreadStatic]
    private static List<Piece>? t_split;

    public void PreTokenize(Piece piece, List<Piece> output)
    {
        if (addPrefixSpace && !piece.Text.StartsWith(' '))
        {
            piece = piece with { Text = " " + piece.Text };
        }
        if (!useRegex)
        {
            output.Add(piece with { Text = ByteLevelAlphabet.Encode(piece.Text) });
            return;
        }
        var split = t_split ??= [];
        split.Clear();
        Gpt2Split.PreTokenize(piece, split);
        foreach (var p in split)
        {
            output.Add(p with { Text = ByteLevelAlphabet.Encode(p.Text) });
        }
    }
}
