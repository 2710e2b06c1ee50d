namespace AlignLab.Urial;

/// <summary>
/// Tidies a URIAL answer for evaluation: removes every ``` (as the published clean-up does), then cuts what a
/// base model tends to leave before the next turn — trailing lines of only separator characters (---, ***,
/// ===, ___, ~~~, or a stray #) — and trims the whitespace around the text.
/// </summary>
public static class UrialAnswerCleanup
{
    private const string SeparatorCharacters = "-=*_~#";

    public static string Clean(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer.Replace(UrialFrame.Fence, "", StringComparison.Ordinal).TrimEnd();
        while (text.Length > 0)
        {
            var lastLine = text.LastIndexOf('\n') + 1;
            if (!IsSeparatorLine(text.AsSpan(lastLine)))
            {
                break;
            }
            text = text[..lastLine].TrimEnd();
        }
        return text.Trim();
    }

    private static bool IsSeparatorLine(ReadOnlySpan<char> line)
    {
        var any = false;
        foreach (var c in line)
        {
            if (SeparatorCharacters.Contains(c, StringComparison.Ordinal))
            {
                any = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }
        return any;
    }
}
