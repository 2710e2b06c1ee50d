using System.Text;
using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tokenizers.Normalizers;

/// <summary>Replaces every match of a literal or regex with a literal (no $1 expansion, as in Hugging Face).</summary>
internal sealed class ReplaceNormalizer : INormalizer
{
    private readonly string? _literal;
    private readonly CategoryRegex? _regex;
    private readonly string _content;

    private ReplaceNormalizer(string? literal, CategoryRegex? regex, string content)
    {
        _literal = literal;
        _regex = regex;
        _content = content;
    }

    public static ReplaceNormalizer ForString(string pattern, string content) => new(pattern, null, content);

    public static ReplaceNormalizer ForRegex(CategoryRegex regex, string content) => new(null, regex, content);

    public string Normalize(string text) => Apply(text, _literal, _regex, _content);

    /// <summary>Shared with the Replace decoder.</summary>
    internal static string Apply(string text, string? literal, CategoryRegex? regex, string content)
    {
        if (literal is not null)
        {
            return literal.Length == 0 ? text : text.Replace(literal, content, StringComparison.Ordinal);
        }
        var matches = new List<(int Start, int Length)>();
        regex!.Matches(text, 0, text.Length, matches);
        if (matches.Count == 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        var prev = 0;
        foreach (var (start, length) in matches)
        {
            sb.Append(text, prev, start - prev).Append(content);
            prev = start + length;
        }
        return sb.Append(text, prev, text.Length - prev).ToString();
    }
}
