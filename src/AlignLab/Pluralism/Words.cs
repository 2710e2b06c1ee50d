using System.Text.RegularExpressions;

namespace AlignLab.Pluralism;

/// <summary>
/// The words the lexical measures count: runs of letters, digits and apostrophes, lower-cased (invariant
/// culture). Punctuation and markdown are not words.
/// </summary>
public static partial class Words
{
    public static IReadOnlyList<string> Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant())];
    }

    /// <summary>
    /// The set of stemmed content words: <see cref="Of"/> without <see cref="StopWords"/>, each reduced by
    /// <see cref="LightStemmer"/>, so "answers" and "answer" count as one.
    /// </summary>
    public static IReadOnlySet<string> ContentStems(string text)
        => Of(text).Where(w => !StopWords.Contains(w)).Select(LightStemmer.Stem).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
