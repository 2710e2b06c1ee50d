using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Templates;

/// <summary>
/// Python's <c>datetime.strftime</c> in the C locale (the glibc behaviour CPython uses on Linux),
/// for the directives date lines in chat templates need. Unknown directives are copied as is, as glibc does.
/// </summary>
internal static class Strftime
{
    public static string Format(DateTimeOffset now, string format)
    {
        var t = now.DateTime;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            // glibc's '-' flag drops the padding: %-d → "2".
            var unpadded = format[i + 1] == '-' && i + 2 < format.Length;
            var directive = format[unpadded ? i + 2 : i + 1];
            var text = Directive(t, now.Offset, directive);
            if (text is null)
            {
                sb.Append(format, i, unpadded ? 3 : 2);
            }
            else if (unpadded)
            {
                var trimmed = text.TrimStart('0', ' ');
                sb.Append(trimmed.Length > 0 ? trimmed : "0");
            }
            else
            {
                sb.Append(text);
            }
            i += unpadded ? 2 : 1;
        }
        return sb.ToString();
    }

    private static string? Directive(DateTime t, TimeSpan offset, char directive) => directive switch
    {
        'a' => t.ToString("ddd", CultureInfo.InvariantCulture),
        'A' => t.ToString("dddd", CultureInfo.InvariantCulture),
        'b' or 'h' => t.ToString("MMM", CultureInfo.InvariantCulture),
        'B' => t.ToString("MMMM", CultureInfo.InvariantCulture),
        'c' => t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture),
        'd' => t.ToString("dd", CultureInfo.InvariantCulture),
        'D' or 'x' => t.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
        'e' => t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
        'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture),
        'F' => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        'H' => t.ToString("HH", CultureInfo.InvariantCulture),
        'I' => t.ToString("hh", CultureInfo.InvariantCulture),
        'j' => t.DayOfYear.ToString("D3", CultureInfo.InvariantCulture),
        'm' => t.ToString("MM", CultureInfo.InvariantCulture),
        'M' => t.ToString("mm", CultureInfo.InvariantCulture),
        'p' => t.Hour < 12 ? "AM" : "PM",
        'R' => t.ToString("HH:mm", CultureInfo.InvariantCulture),
        'S' => t.ToString("ss", CultureInfo.InvariantCulture),
        'T' or 'X' => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
        'w' => ((int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
        'y' => t.ToString("yy", CultureInfo.InvariantCulture),
        'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
        'z' => (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture),
        // datetime.now() is naive, so Python prints no zone name.
        'Z' => "",
        '%' => "%",
        _ => null,
    };
}
