using System.Globalization;
using System.Text.Json;

namespace AlignLab.Data;

/// <summary>One JSON value of a record file and where it starts.</summary>
/// <param name="Element">The value, independent of any document (no disposal needed).</param>
/// <param name="Line">1-based line where the value starts.</param>
/// <param name="Index">0-based position among the file's records, malformed ones included.</param>
public readonly record struct JsonRecord(JsonElement Element, long Line, int Index);

/// <summary>
/// Reads a file of JSON records in either layout: one JSON array of records, or JSON Lines (one record
/// per line, blank lines ignored). The layout is told by the first character. Every record is an object;
/// anything else, and a line that is not JSON, goes to the <see cref="BadRecordLog"/> with its line.
/// Invalid JSON inside an array cannot be skipped (the rest of the array cannot be found), so it is
/// always an error naming line and column.
/// </summary>
public static class JsonRecordFile
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static IEnumerable<JsonRecord> Read(string path, BadRecordLog bad, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(bad);
        limits ??= ReadLimits.Default;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        limits.CheckFileSize(path, info.Length);
        return IsArray(path) ? ReadArray(path, bad) : ReadLines(path, bad, limits);
    }

    /// <summary>Whether the first character after a BOM and whitespace is '['.</summary>
    private static bool IsArray(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[4096];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var at = n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        while (at < n && head[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }
        return at < n && head[at] == (byte)'[';
    }

    private static IEnumerable<JsonRecord> ReadArray(string path, BadRecordLog bad)
    {
        var file = File.ReadAllBytes(path);
        var bytes = file.AsMemory(file.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);
        var records = new List<JsonRecord>();
        var reader = new Utf8JsonReader(bytes.Span, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
        var lines = new LineCounter(bytes);
        try
        {
            reader.Read(); // '['
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = lines.LineAt(reader.TokenStartIndex);
                using var document = JsonDocument.ParseValue(ref reader);
                var element = document.RootElement;
                if (element.ValueKind == JsonValueKind.Object)
                {
                    records.Add(new JsonRecord(element.Clone(), line, index));
                }
                else
                {
                    bad.Report(path, line, $"record {index} is {Kind(element.ValueKind)}, expected an object");
                }
                index++;
            }
            if (reader.Read())
            {
                throw DataFormatException.At(path, lines.LineAt(reader.TokenStartIndex), "content after the end of the JSON array");
            }
        }
        catch (JsonException e)
        {
            throw DataFormatException.At(path, (e.LineNumber ?? 0) + 1, SyntaxError(e));
        }
        return records;
    }

    private static IEnumerable<JsonRecord> ReadLines(string path, BadRecordLog bad, ReadLimits limits)
    {
        using var stream = File.OpenRead(path);
        var reader = new BoundedLineReader(stream, path, limits.MaxLineBytes);
        var index = 0;
        while (reader.TryRead(out var line))
        {
            var bytes = line.Bytes.Span;
            if (line.Number == 1 && bytes.StartsWith("\uFEFF"u8))
            {
                bytes = bytes[3..];
            }
            if (IsBlank(bytes))
            {
                continue;
            }
            var record = ParseLine(path, line.Number, index, bytes, bad);
            index++;
            if (record is { } r)
            {
                yield return r;
            }
        }
    }

    private static JsonRecord? ParseLine(string path, long lineNumber, int index, ReadOnlySpan<byte> bytes, BadRecordLog bad)
    {
        JsonElement element;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                bad.Report(path, lineNumber, "more than one JSON value on the line");
                return null;
            }
            element = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            bad.Report(path, lineNumber, SyntaxError(e));
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            bad.Report(path, lineNumber, $"the line holds {Kind(element.ValueKind)}, expected an object");
            return null;
        }
        return new JsonRecord(element, lineNumber, index);
    }

    /// <summary>"invalid JSON at column C: reason" (the reason without System.Text.Json's position suffix).</summary>
    private static string SyntaxError(JsonException e)
    {
        var message = e.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            message = message[..suffix];
        }
        return string.Create(CultureInfo.InvariantCulture, $"invalid JSON at column {(e.BytePositionInLine ?? 0) + 1}: {message}");
    }

    /// <summary>A JSON value's kind with its article, for messages: "an array", "a string", "null", ...</summary>
    internal static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Line numbers of byte offsets met in increasing order, counted as it goes.</summary>
    private sealed class LineCounter(ReadOnlyMemory<byte> bytes)
    {
        private long _offset;
        private long _line = 1;

        public long LineAt(long offset)
        {
            _line += bytes.Span.Slice((int)_offset, (int)(offset - _offset)).Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
