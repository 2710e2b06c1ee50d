using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Tokenizers.Regexes;

/// <summary>
/// Translates the Oniguruma regexes found in tokenizer.json (Hugging Face tokenizers compiles them
/// with Oniguruma) into .NET syntax. Most of the syntax is shared; what differs:
/// possessive quantifiers (<c>?+ ++ *+ {n,m}+</c>) become atomic groups, <c>\x{HHHH}</c> becomes
/// <c>\uHHHH</c>, <c>\h</c>/<c>\H</c> (hex digit in Oniguruma, unknown to .NET) become classes.
/// Constructs with no .NET equivalent (class intersection <c>&amp;&amp;</c>, <c>\K</c>, <c>\R</c>, <c>\X</c>)
/// are rejected rather than approximated.
/// </summary>
internal static class OnigurumaTranslator
{
    public static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var groupStarts = new Stack<int>();
        var lastAtomStart = -1;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    lastAtomStart = sb.Length;
                    i = CopyEscape(pattern, i, sb, insideClass: false);
                    break;
                case '[':
                    lastAtomStart = sb.Length;
                    i = CopyClass(pattern, i, sb);
                    break;
                case '(':
                    groupStarts.Push(sb.Length);
                    sb.Append(c);
                    i++;
                    lastAtomStart = -1;
                    break;
                case ')':
                    if (groupStarts.Count == 0)
                    {
                        throw new FormatException($"unbalanced ')' at {i}");
                    }
                    lastAtomStart = groupStarts.Pop();
                    sb.Append(c);
                    i++;
                    break;
                case '?' or '*' or '+':
                    i = CopyQuantifier(pattern, i, i + 1, sb, lastAtomStart);
                    break;
                case '{' when TryReadBraceQuantifier(pattern, i, out var end):
                    i = CopyQuantifier(pattern, i, end, sb, lastAtomStart);
                    break;
                default:
                    lastAtomStart = sb.Length;
                    sb.Append(c);
                    i++;
                    break;
            }
        }
        if (groupStarts.Count != 0)
        {
            throw new FormatException("unbalanced '('");
        }
        return sb.ToString();
    }

    /// <summary>Copies the quantifier pattern[start..end) and its lazy/possessive suffix.</summary>
    private static int CopyQuantifier(string pattern, int start, int end, StringBuilder sb, int atomStart)
    {
        var quantifier = pattern.AsSpan(start, end - start);
        if (end < pattern.Length && pattern[end] == '+')
        {
            // Possessive: never gives back what it matched, exactly what an atomic group does.
            if (atomStart < 0)
            {
                throw new FormatException($"possessive quantifier without an operand at {start}");
            }
            sb.Insert(atomStart, "(?>");
            sb.Append(quantifier).Append(')');
            return end + 1;
        }
        sb.Append(quantifier);
        if (end < pattern.Length && pattern[end] == '?')
        {
            sb.Append('?');
            return end + 1;
        }
        return end;
    }

    private static bool TryReadBraceQuantifier(string pattern, int start, out int end)
    {
        end = start + 1;
        var digits = 0;
        var comma = false;
        while (end < pattern.Length && (char.IsAsciiDigit(pattern[end]) || (pattern[end] == ',' && !comma)))
        {
            comma |= pattern[end] == ',';
            digits += pattern[end] == ',' ? 0 : 1;
            end++;
        }
        if (end < pattern.Length && pattern[end] == '}' && digits > 0)
        {
            end++;
            return true;
        }
        return false;
    }

    private static int CopyEscape(string pattern, int i, StringBuilder sb, bool insideClass)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new FormatException("pattern ends with '\\'");
        }
        var e = pattern[i + 1];
        switch (e)
        {
            case 'x' when i + 2 < pattern.Length && pattern[i + 2] == '{':
                {
                    var close = pattern.IndexOf('}', i + 3);
                    if (close < 0)
                    {
                        throw new FormatException($"unterminated \\x{{ at {i}");
                    }
                    var code = int.Parse(pattern.AsSpan(i + 3, close - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (code > 0xFFFF)
                    {
                        if (insideClass)
                        {
                            throw new FormatException($"code point above U+FFFF inside a character class at {i}");
                        }
                        var s = char.ConvertFromUtf32(code);
                        sb.Append(CultureInfo.InvariantCulture, $"(?:\\u{(int)s[0]:X4}\\u{(int)s[1]:X4})");
                    }
                    else
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{code:X4}");
                    }
                    return close + 1;
                }
            case 'h':
                sb.Append(insideClass ? "0-9a-fA-F" : "[0-9a-fA-F]");
                return i + 2;
            case 'H' when !insideClass:
                sb.Append("[^0-9a-fA-F]");
                return i + 2;
            case 'K' or 'R' or 'X' or 'H' or 'y' or 'Y' or 'O':
                throw new FormatException($"unsupported Oniguruma escape \\{e} at {i}");
            default:
                sb.Append('\\').Append(e);
                return i + 2;
        }
    }

    private static int CopyClass(string pattern, int i, StringBuilder sb)
    {
        sb.Append('[');
        i++;
        if (i < pattern.Length && pattern[i] == '^')
        {
            sb.Append('^');
            i++;
        }
        if (i < pattern.Length && pattern[i] == ']')
        {
            // A ']' right after '[' or '[^' is a literal in Oniguruma.
            sb.Append("\\]");
            i++;
        }
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case ']':
                    sb.Append(']');
                    return i + 1;
                case '\\':
                    i = CopyEscape(pattern, i, sb, insideClass: true);
                    break;
                case '[':
                    // .NET has no nested classes; '[' inside a class is taken literally there too,
                    // but Oniguruma would treat it as a nested set, so refuse rather than mis-translate.
                    if (i + 1 < pattern.Length && pattern[i + 1] == ':')
                    {
                        throw new FormatException($"POSIX bracket expressions are not supported at {i}");
                    }
                    throw new FormatException($"nested character classes are not supported at {i}");
                case '&' when i + 1 < pattern.Length && pattern[i + 1] == '&':
                    throw new FormatException($"character class intersection '&&' is not supported at {i}");
                default:
                    sb.Append(c);
                    i++;
                    break;
            }
        }
        throw new FormatException("unterminated character class");
    }
}
