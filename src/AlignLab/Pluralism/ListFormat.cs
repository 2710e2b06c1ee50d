using System.Text.RegularExpressions;

namespace AlignLab.Pluralism;

/// <summary>Whether an answer is formatted as a list: at least two lines that start (after indentation) with "-", "*", "•" or "N." / "N)" and a space.</summary>
public static partial class ListFormat
{
    public const int MinItems = 2;

    public static bool IsList(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return ItemPattern().Count(answer) >= MinItems;
    }

    [GeneratedRegex(@"^[ \t]*(?:[-*•]|\d+[.)])[ \t]+\S", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ItemPattern();
}
