using System.Globalization;
using System.Text;

namespace AlignLab.Cli;

/// <summary>Formats a failure as the single stderr line the CLI promises.</summary>
public static class ErrorLine
{
    public static void Write(TextWriter stderr, string message)
        => stderr.WriteLine("error: " + EscapeControl(message));

    /// <summary>Every exception is reported as one line; only a crash of the runtime itself is not ours to catch.</summary>
    public static bool IsReportable(Exception e) => e is not (OutOfMemoryException or StackOverflowException);

    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "cancelled",
        FileNotFoundException f when f.FileName is not null => $"{f.FileName}: file not found",
        UnauthorizedAccessException u => $"access denied: {u.Message}",
        _ => MessageOf(e),
    };

    /// <summary>The message without the " (Parameter 'name')" that an <see cref="ArgumentException"/> appends.</summary>
    public static string MessageOf(Exception e)
    {
        var message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                return message[..^suffix.Length];
            }
        }
        return message;
    }

    /// <summary>
    /// Escapes control characters (newlines, tabs, ESC, ...) so quoted file text cannot break the
    /// one-line contract or inject terminal sequences.
    /// </summary>
    public static string EscapeControl(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsControl(c))
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text, 0, i, text.Length + 16);
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return sb?.ToString() ?? text;
    }
}
