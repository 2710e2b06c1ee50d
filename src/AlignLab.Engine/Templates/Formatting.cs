using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Templates;

/// <summary>Python's <c>str()</c> and <c>repr()</c> of template values, which is what <c>{{ x }}</c> prints.</summary>
internal static class Formatting
{
    /// <summary>Python's <c>str()</c>. <paramref name="maxLength"/> bounds the text of containers, which can nest exponentially.</summary>
    public static string Str(object? value, long maxLength = int.MaxValue) => value switch
    {
        string s => s,
        SafeString s => s.Value,
        Undefined => "",
        _ => Repr(value, maxLength),
    };

    public static string Repr(object? value, long maxLength = int.MaxValue)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value, 0, maxLength);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? value, int depth, long maxLength)
    {
        if (depth > 500)
        {
            throw new TemplateLimitException("value nested too deeply to print");
        }
        Operations.CheckLength(sb.Length, maxLength);
        switch (value)
        {
            case null:
                sb.Append("None");
                break;
            case bool b:
                sb.Append(b ? "True" : "False");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(FloatRepr(d));
                break;
            case string s:
                AppendStringRepr(sb, s);
                break;
            case SafeString s:
                sb.Append("Markup(");
                AppendStringRepr(sb, s.Value);
                sb.Append(')');
                break;
            case List<object?> list:
                AppendItems(sb, "[", list, "]", depth, maxLength);
                break;
            case PyTuple t:
                AppendItems(sb, "(", t, t.Count == 1 ? ",)" : ")", depth, maxLength);
                break;
            case PyDict dict:
                AppendDict(sb, dict, depth, maxLength);
                break;
            case Undefined:
                sb.Append("Undefined");
                break;
            case Namespace ns:
                sb.Append("<Namespace ");
                AppendDict(sb, ns.Attributes, depth, maxLength);
                sb.Append('>');
                break;
            case Macro m:
                sb.Append("<Macro '").Append(m.Name).Append("'>");
                break;
            case BuiltinFunction f:
                sb.Append("<built-in function ").Append(f.Name).Append('>');
                break;
            default:
                // Python would add a memory address here, which no template can rely on.
                sb.Append('<').Append(Operations.TypeName(value)).Append(" object>");
                break;
        }
    }

    private static void AppendItems(StringBuilder sb, string open, IEnumerable<object?> items, string close, int depth, long maxLength)
    {
        sb.Append(open);
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                sb.Append(", ");
            }
            first = false;
            AppendRepr(sb, item, depth + 1, maxLength);
        }
        sb.Append(close);
    }

    private static void AppendDict(StringBuilder sb, PyDict dict, int depth, long maxLength)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, item) in dict)
        {
            if (!first)
            {
                sb.Append(", ");
            }
            first = false;
            AppendRepr(sb, key, depth + 1, maxLength);
            sb.Append(": ");
            AppendRepr(sb, item, depth + 1, maxLength);
        }
        sb.Append('}');
    }

    /// <summary>Python's string repr: single quotes unless the text has ' and no ", non-printables escaped.</summary>
    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        sb.Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append((char)c);
            }
            else if (c is '\t' or '\n' or '\r')
            {
                sb.Append(c switch { '\t' => "\\t", '\n' => "\\n", _ => "\\r" });
            }
            else if (IsPrintable(rune))
            {
                sb.Append(rune.ToString());
            }
            else
            {
                sb.Append(c switch
                {
                    <= 0xff => "\\x" + c.ToString("x2", CultureInfo.InvariantCulture),
                    <= 0xffff => "\\u" + c.ToString("x4", CultureInfo.InvariantCulture),
                    _ => "\\U" + c.ToString("x8", CultureInfo.InvariantCulture),
                });
            }
        }
        sb.Append(quote);
    }

    /// <summary>Python's <c>str.isprintable()</c>: everything but controls, format, surrogates, private use, unassigned and separators other than ' '.</summary>
    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }
        return Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest digits that round-trip, positional when the decimal
    /// exponent is in [-4, 16), otherwise scientific with a two-digit exponent ("1e-05", "1e+16").
    /// </summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }
        var (digits, point) = ShortestDigits(Math.Abs(d));
        var sign = d < 0 ? "-" : "";
        if (point is > -4 and <= 16)
        {
            return sign + point switch
            {
                <= 0 => "0." + new string('0', -point) + digits,
                _ when point >= digits.Length => digits + new string('0', point - digits.Length) + ".0",
                _ => digits[..point] + "." + digits[point..],
            };
        }
        var exponent = point - 1;
        var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>The shortest round-trip digits of a positive double and the decimal point position: value = 0.DIGITS × 10^point.</summary>
    private static (string Digits, int Point) ShortestDigits(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? mantissa : mantissa[..dot];
        var digits = dot < 0 ? mantissa : whole + mantissa[(dot + 1)..];
        var point = whole.Length + exponent;
        var trimmed = digits.TrimStart('0');
        point -= digits.Length - trimmed.Length;
        return (trimmed.TrimEnd('0'), point);
    }
}
