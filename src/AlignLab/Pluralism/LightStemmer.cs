namespace AlignLab.Pluralism;

/// <summary>
/// A light English suffix stemmer, enough to merge inflections of one word for set overlap: "-ies" → "y",
/// "-sses" → "ss", a final "-s" (not "-ss", "-us", "-is"), then "-ing" or "-ed", then "-ly", each only when
/// at least three letters remain. It is not Porter's stemmer: derivational suffixes (-ation, -ness) stay.
/// </summary>
public static class LightStemmer
{
    private const int MinStem = 3;

    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var stem = Plural(word);
        stem = Strip(stem, "ing") ?? Strip(stem, "ed") ?? stem;
        return Strip(stem, "ly") ?? stem;
    }

    private static string Plural(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length - 3 >= MinStem)
        {
            return word[..^3] + "y";
        }
        if (word.EndsWith("sses", StringComparison.Ordinal))
        {
            return word[..^2];
        }
        var keepsS = word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal) || word.EndsWith("is", StringComparison.Ordinal);
        return !keepsS && word.EndsWith('s') && word.Length - 1 >= MinStem ? word[..^1] : word;
    }

    private static string? Strip(string word, string suffix)
        => word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= MinStem ? word[..^suffix.Length] : null;
}
