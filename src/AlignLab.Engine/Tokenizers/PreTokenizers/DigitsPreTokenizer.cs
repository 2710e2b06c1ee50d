using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>
/// Hugging Face "Digits": isolates numeric characters (Rust's char::is_numeric, i.e. categories Nd, Nl, No),
/// each on its own when <c>individual_digits</c>, else as contiguous runs.
/// </summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizer
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    public void PreTokenize(Piece piece, List<Piece> output)
    {
        var text = piece.Text;
        var matches = t_matches ??= [];
        matches.Clear();
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            if (IsNumeric(rune))
            {
                matches.Add((i, consumed));
            }
            i += consumed;
        }
        if (matches.Count == 0)
        {
            output.Add(piece);
            return;
        }
        Splitter.Split(piece, matches, individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous, invert: false, output);
    }

    private static bool IsNumeric(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
