using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Templates;

/// <summary>
/// Python's <c>str.format</c> for the forms chat templates use: <c>{}</c>, <c>{0}</c>, <c>{name}</c>,
/// with <c>!r</c>/<c>!s</c> conversions and <c>{{</c>/<c>}}</c> escapes. Format specs (<c>{:&gt;8}</c>)
/// are rejected rather than guessed.
/// </summary>
internal static class StringFormat
{
    public static string Format(string format, CallArguments arguments, long maxLength)
    {
        var sb = new StringBuilder();
        int? auto = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    i++;
                    sb.Append('}');
                    continue;
                }
                throw new TemplateException("Single '}' encountered in format string");
            }
            if (c != '{')
            {
                sb.Append(c);
                continue;
            }
            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                i++;
                sb.Append('{');
                continue;
            }
            var close = format.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw new TemplateException("Single '{' encountered in format string");
            }
            sb.Append(Field(format[(i + 1)..close], arguments, ref auto));
            Operations.CheckLength(sb.Length, maxLength);
            i = close;
        }
        return sb.ToString();
    }

    private static string Field(string field, CallArguments arguments, ref int? auto)
    {
        if (field.Contains(':', StringComparison.Ordinal))
        {
            throw new TemplateException($"format spec in '{{{field}}}' is not supported by this template engine");
        }
        var conversion = 's';
        var bang = field.IndexOf('!', StringComparison.Ordinal);
        if (bang >= 0)
        {
            conversion = field.Length == bang + 2 && field[bang + 1] is 'r' or 's'
                ? field[bang + 1]
                : throw new TemplateException("Unknown conversion specifier " + field[(bang + 1)..]);
            field = field[..bang];
        }
        var value = Resolve(field, arguments, ref auto);
        return conversion == 'r' ? Formatting.Repr(value) : Formatting.Str(value);
    }

    /// <summary>
    /// The argument a field names. Mirrors Python's string.Formatter (which the sandbox uses): once a
    /// field was numbered automatically, "{0}" fails, and after "{0}", "{}" fails, both with one message.
    /// </summary>
    private static object? Resolve(string field, CallArguments arguments, ref int? auto)
    {
        int index;
        if (field.Length == 0)
        {
            index = auto++ ?? throw SwitchedNumbering();
        }
        else if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            if (auto > 0)
            {
                throw SwitchedNumbering();
            }
            auto = null;
        }
        else
        {
            foreach (var (name, value) in arguments.Keywords)
            {
                if (name == field)
                {
                    return value;
                }
            }
            throw new TemplateException($"'{field}'");
        }
        return index < arguments.Positional.Count ? arguments.Positional[index] : throw new TemplateException("tuple index out of range");
    }

    private static TemplateException SwitchedNumbering()
        => new("cannot switch from manual field specification to automatic field numbering");
}
