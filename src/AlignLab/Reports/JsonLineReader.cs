using System.Globalization;

namespace AlignLab.Reports;

/// <summary>One line of a JSON lines file: its 1-based number, its bytes (without the line break),
/// and whether a line break ended it (a last line without one may be torn by a killed writer).</summary>
internal readonly record struct JsonLine(long Number, ReadOnlyMemory<byte> Bytes, bool Terminated);

/// <summary>
/// Splits a file into lines without reading it whole, refusing any line longer than a bound so a
/// corrupt file cannot exhaust memory. Blank lines are skipped (their numbers still count).
/// Each yielded line's bytes are valid only until the next one is requested.
/// </summary>
internal static class JsonLineReader
{
    public static IEnumerable<JsonLine> Read(string path, int maxLineBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[Math.Min(1 << 20, maxLineBytes + 1)];
        int start = 0, end = 0;
        long number = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                number++;
                var line = TrimCarriageReturn(buffer.AsMemory(start, newline));
                start += newline + 1;
                if (!IsBlank(line.Span))
                {
                    yield return new JsonLine(number, line, Terminated: true);
                }
                continue;
            }
            if (end - start > maxLineBytes)
            {
                throw new ReportInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: line {number + 1}: longer than the {maxLineBytes}-byte limit for one line"));
            }
            MakeRoom(ref buffer, ref start, ref end, maxLineBytes);
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start && !IsBlank(buffer.AsSpan(start, end - start)))
                {
                    yield return new JsonLine(number + 1, buffer.AsMemory(start, end - start), Terminated: false);
                }
                yield break;
            }
            end += read;
        }
    }

    /// <summary>Moves the unfinished line to the front, or grows the buffer (up to one line past the bound) when it fills it.</summary>
    private static void MakeRoom(ref byte[] buffer, ref int start, ref int end, int maxLineBytes)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)maxLineBytes + 2));
        }
    }

    private static ReadOnlyMemory<byte> TrimCarriageReturn(ReadOnlyMemory<byte> line)
        => line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}
