using System.Text;

namespace AlignLab.Engine.Templates;

/// <summary>
/// Python's str semantics on .NET strings. Python indexes and measures strings by code point while
/// .NET uses UTF-16 units, so everything here is code-point aware (with a fast path for text
/// without surrogates).
/// </summary>
internal static class Strings
{
    public static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    public static long Length(string s) => HasSurrogates(s) ? s.EnumerateRunes().Count() : s.Length;

    public static IEnumerable<object?> CodePoints(string s)
    {
        foreach (var rune in s.EnumerateRunes())
        {
            yield return rune.ToString();
        }
    }

    /// <summary>The code points of <paramref name="s"/> as strings, for indexing and slicing.</summary>
    public static string[] Split(string s) => HasSurrogates(s)
        ? [.. s.EnumerateRunes().Select(r => r.ToString())]
        : [.. s.Select(c => c.ToString())];

    public static int CompareCodePoints(string a, string b)
    {
        if (!HasSurrogates(a) && !HasSurrogates(b))
        {
            return Math.Sign(string.CompareOrdinal(a, b));
        }
        using var x = a.EnumerateRunes().GetEnumerator();
        using var y = b.EnumerateRunes().GetEnumerator();
        while (true)
        {
            var hasX = x.MoveNext();
            var hasY = y.MoveNext();
            if (!hasX || !hasY)
            {
                return hasX.CompareTo(hasY);
            }
            if (x.Current.Value != y.Current.Value)
            {
                return x.Current.Value.CompareTo(y.Current.Value);
            }
        }
    }

    /// <summary>Python's <c>str.isspace()</c> per character: .NET's set plus the ASCII separators \x1c–\x1f.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static string Strip(string s, string? chars, bool left = true, bool right = true)
    {
        Func<char, bool> strip = chars is null ? IsSpace : c => chars.Contains(c, StringComparison.Ordinal);
        var start = 0;
        var end = s.Length;
        while (left && start < end && strip(s[start]))
        {
            start++;
        }
        while (right && end > start && strip(s[end - 1]))
        {
            end--;
        }
        return s[start..end];
    }

    /// <summary>Python's <c>str.split(sep=None, maxsplit=-1)</c>.</summary>
    public static List<object?> SplitBy(string s, string? separator, long maxSplit)
    {
        if (separator is null)
        {
            return SplitWhitespace(s, maxSplit);
        }
        if (separator.Length == 0)
        {
            throw new TemplateException("empty separator");
        }
        var parts = new List<object?>();
        var start = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            var at = s.IndexOf(separator, start, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }
            parts.Add(s[start..at]);
            start = at + separator.Length;
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static List<object?> SplitWhitespace(string s, long maxSplit)
    {
        var parts = new List<object?>();
        var i = 0;
        while (true)
        {
            while (i < s.Length && IsSpace(s[i]))
            {
                i++;
            }
            if (i == s.Length)
            {
                return parts;
            }
            if (maxSplit >= 0 && parts.Count == maxSplit)
            {
                parts.Add(Strip(s[i..], null, left: false));
                return parts;
            }
            var start = i;
            while (i < s.Length && !IsSpace(s[i]))
            {
                i++;
            }
            parts.Add(s[start..i]);
        }
    }

    /// <summary>Python's <c>str.splitlines()</c>, which breaks on more than \n and \r.</summary>
    public static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is not ('\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029'))
            {
                continue;
            }
            lines.Add(s[start..i]);
            if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
            {
                i++;
            }
            start = i + 1;
        }
        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }
        return lines;
    }

    /// <summary>Python's <c>str.replace(old, new, count)</c>; an empty <paramref name="old"/> inserts between code points.</summary>
    public static string Replace(string s, string old, string replacement, long count, long maxLength)
    {
        if (count < 0)
        {
            count = long.MaxValue;
        }
        var sb = new StringBuilder();
        if (old.Length == 0)
        {
            var points = Split(s);
            for (var i = 0; i < points.Length; i++)
            {
                sb.Append(i < count ? replacement : "").Append(points[i]);
                Operations.CheckLength(sb.Length, maxLength);
            }
            return sb.Append(points.Length < count ? replacement : "").ToString();
        }
        var start = 0;
        for (long done = 0; done < count; done++)
        {
            var at = s.IndexOf(old, start, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }
            sb.Append(s, start, at - start).Append(replacement);
            Operations.CheckLength(sb.Length, maxLength);
            start = at + old.Length;
        }
        return sb.Append(s, start, s.Length - start).ToString();
    }

    public static string Lower(string s) => s.ToLowerInvariant();

    public static string Upper(string s) => s.ToUpperInvariant();

    /// <summary>Python's <c>str.capitalize()</c>: first code point upper, the rest lower.</summary>
    public static string Capitalize(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }
        var first = Rune.GetRuneAt(s, 0);
        return Rune.ToUpperInvariant(first).ToString() + Lower(s[first.Utf16SequenceLength..]);
    }

    /// <summary>Jinja2's <c>title</c> filter: capitalizes each piece after runs of whitespace, '-', '(', '{', '[' or '&lt;'.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var wordStart = true;
        foreach (var rune in s.EnumerateRunes())
        {
            var separator = rune.IsBmp && (IsSpace((char)rune.Value) || rune.Value is '-' or '(' or '{' or '[' or '<');
            sb.Append(separator ? rune.ToString() : wordStart ? Rune.ToUpperInvariant(rune).ToString() : Rune.ToLowerInvariant(rune).ToString());
            wordStart = separator;
        }
        return sb.ToString();
    }

    /// <summary>markupsafe's <c>escape</c>.</summary>
    public static string HtmlEscape(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>'\"") < 0)
        {
            return s;
        }
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' => "&#39;",
                '"' => "&#34;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
