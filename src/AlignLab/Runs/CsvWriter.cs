using System.Globalization;
using System.Text;

namespace AlignLab.Runs;

/// <summary>
/// RFC 4180 CSV: fields separated by commas, records ended by CRLF; a field holding a comma, a quote,
/// CR or LF (or starting or ending with a space) is quoted, its quotes doubled. Numbers use the invariant
/// culture, round-trippable; null is an empty field.
/// </summary>
public sealed class CsvWriter(TextWriter output)
{
    private bool _lineStarted;

    /// <summary>A UTF-8 (no BOM) CSV writer over <paramref name="stream"/>.</summary>
    public static CsvWriter Over(Stream stream) => new(new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true));

    public CsvWriter Field(string? value)
    {
        if (_lineStarted)
        {
            output.Write(',');
        }
        _lineStarted = true;
        if (value is null)
        {
            return this;
        }
        if (NeedsQuotes(value))
        {
            output.Write('"');
            output.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            output.Write('"');
        }
        else
        {
            output.Write(value);
        }
        return this;
    }

    public CsvWriter Field(long value) => Field(value.ToString(CultureInfo.InvariantCulture));

    public CsvWriter Field(double? value) => Field(value?.ToString("R", CultureInfo.InvariantCulture));

    public CsvWriter Fields(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var v in values)
        {
            Field(v);
        }
        return this;
    }

    public void EndLine()
    {
        output.Write("\r\n");
        _lineStarted = false;
    }

    public void Flush() => output.Flush();

    private static bool NeedsQuotes(string value)
        => value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
}
