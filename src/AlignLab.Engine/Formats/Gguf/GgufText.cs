using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>Makes text read from a file safe to quote in a one-line error message.</summary>
internal static class GgufText
{
    private const int MaxQuoted = 80;

    /// <summary>Escapes control characters and shortens long text, so a hostile key cannot break the line.</summary>
    public static string Printable(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxQuoted) + 8);
        foreach (var c in text)
        {
            if (sb.Length >= MaxQuoted)
            {
                sb.Append('…');
                break;
            }
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
