using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AlignLab.Engine.Tokenizers.Regexes;

/// <summary>
/// A compiled split regex that sees code points, not UTF-16 units. .NET matches \p{L} and friends
/// per UTF-16 unit, so a letter outside the BMP (𝐀, 𠀀) would look like two "Cs" surrogates where
/// Oniguruma, Rust and llama.cpp see one letter. Before matching, each astral code point is replaced
/// by one BMP stand-in of the same general category; match offsets are mapped back afterwards.
/// Text without surrogates (the common case) is matched directly with no copying.
/// </summary>
internal sealed class CategoryRegex
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    private readonly Regex _regex;

    private CategoryRegex(Regex regex) => _regex = regex;

    /// <summary>
    /// Compiles a .NET pattern once per process: tokenizers loaded from the same family share it,
    /// and no call path constructs a regex per encode.
    /// </summary>
    public static CategoryRegex FromDotNet(string dotnetPattern)
        => new(Compiled.GetOrAdd(dotnetPattern, static p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant)));

    public static CategoryRegex FromOniguruma(string pattern) => FromDotNet(OnigurumaTranslator.Translate(pattern));

    /// <summary>Appends (start, length) of every non-empty match inside text[start..start+length).</summary>
    public void Matches(string text, int start, int length, List<(int Start, int Length)> matches)
    {
        var span = text.AsSpan(start, length);
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var m in _regex.EnumerateMatches(span))
            {
                if (m.Length > 0)
                {
                    matches.Add((start + m.Index, m.Length));
                }
            }
            return;
        }
        MatchesWithStandIns(span, start, matches);
    }

    private void MatchesWithStandIns(ReadOnlySpan<char> span, int start, List<(int Start, int Length)> matches)
    {
        // mapped[k] stands for span[offsets[k]..offsets[k+1]).
        var mapped = new char[span.Length];
        var offsets = new int[span.Length + 1];
        var n = 0;
        for (var i = 0; i < span.Length; n++)
        {
            offsets[n] = i;
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                mapped[n] = StandIn(char.ConvertToUtf32(span[i], span[i + 1]));
                i += 2;
            }
            else
            {
                mapped[n] = span[i];
                i++;
            }
        }
        offsets[n] = span.Length;
        foreach (var m in _regex.EnumerateMatches(mapped.AsSpan(0, n)))
        {
            if (m.Length > 0)
            {
                var s = offsets[m.Index];
                matches.Add((start + s, offsets[m.Index + m.Length] - s));
            }
        }
    }

    /// <summary>A BMP character with the same general category as the astral code point.</summary>
    private static char StandIn(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
    {
        UnicodeCategory.UppercaseLetter => '\uFF21',
        UnicodeCategory.LowercaseLetter => '\uFF41',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\uA500',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u2039',
        UnicodeCategory.FinalQuotePunctuation => '\u203A',
        UnicodeCategory.OtherPunctuation => '\u2027',
        UnicodeCategory.MathSymbol => '\u2200',
        UnicodeCategory.CurrencySymbol => '\u20A0',
        UnicodeCategory.ModifierSymbol => '\u02C2',
        UnicodeCategory.OtherSymbol => '\u2600',
        UnicodeCategory.Format => '\u200B',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };

    /// <summary>Escapes a literal for use as a .NET pattern (Split with a String pattern).</summary>
    public static string Literal(string text) => Regex.Escape(text);
}
