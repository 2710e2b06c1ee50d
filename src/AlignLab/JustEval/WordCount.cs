namespace AlignLab.JustEval;

/// <summary>Words as Just-Eval counts answer length: <c>len(text.split())</c>, runs of characters between Python's whitespace.</summary>
public static class WordCount
{
    public static int Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = IsPythonWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }
            inWord = !space;
        }
        return words;
    }

    /// <summary>.NET's white space plus U+001C–U+001F, which Python's str.isspace also counts.</summary>
    private static bool IsPythonWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';
}
