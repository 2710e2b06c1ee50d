using System.Globalization;
using System.Text;

namespace AlignLab.Urial;

/// <summary>
/// Reads URIAL prompt files as published: an optional preamble that starts with a <c># Instruction</c> line,
/// then examples, each a query block and an answer block. A block is a header line (<c># Query:</c> /
/// <c># Answer:</c>, or <c># User:</c> / <c># Assistant:</c>) and the text up to the next header. In a fenced
/// prompt (the first block's text opens with ```) every block's text sits between ``` fences; otherwise
/// blocks are plain text. Header lines inside a fence are text, not headers. The parse is lossless: the
/// pieces concatenate to the input exactly.
/// </summary>
public static class UrialPromptParser
{
    private const string InstructionHeader = "# Instruction";

    /// <summary>Largest prompt file read (the published ones have a few kilobytes).</summary>
    public const int MaxFileBytes = 4 << 20;

    /// <summary>Reads and parses a prompt file (UTF-8; a leading byte-order mark is skipped).</summary>
    public static UrialPrompt Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new UrialPromptException(string.Create(CultureInfo.InvariantCulture, $"{path}: {length} bytes, more than the limit of {MaxFileBytes} bytes for a prompt file"));
        }
        var bytes = File.ReadAllBytes(path);
        var bom = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, bom, bytes.Length - bom);
        }
        catch (DecoderFallbackException e)
        {
            throw new UrialPromptException(string.Create(CultureInfo.InvariantCulture, $"{path}: not UTF-8 text (invalid byte at offset {bom + e.Index})"), e);
        }
        var prompt = Parse(text, path, Path.GetFileNameWithoutExtension(path));
        if (prompt.Examples.Count == 0 && prompt.Preamble.Trim().Length == 0)
        {
            throw UrialPromptException.At(path, 1, "the prompt file is empty: expected a '# Instruction' preamble or '# Query:' examples");
        }
        return prompt;
    }

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="source"/> and the line.</summary>
    public static UrialPrompt Parse(string text, string source, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new LineIndex(text);
        var headers = FindHeaders(text, lines, source);
        var preambleEnd = headers.Count == 0 ? text.Length : headers[0].Start;
        CheckPreamble(text, preambleEnd, lines, source);
        if (headers.Count == 0)
        {
            return new UrialPrompt(name, source, text, [], UrialFrame.Default);
        }
        var frame = FrameOf(text, headers, lines, source);
        var examples = new List<UrialExample>();
        for (var i = 0; i < headers.Count; i += 2)
        {
            var query = headers[i];
            if (query.IsAnswer)
            {
                throw UrialPromptException.At(source, lines.LineOf(query.Start), $"'{query.Marker}' without a '{frame.Markers.Query}' before it");
            }
            if (i + 1 == headers.Count || !headers[i + 1].IsAnswer)
            {
                var next = i + 1 == headers.Count ? "the file ends" : $"another '{frame.Markers.Query}' follows on line {lines.LineOf(headers[i + 1].Start)}";
                throw UrialPromptException.At(source, lines.LineOf(query.Start), $"'{query.Marker}' has no '{frame.Markers.Answer}': {next}");
            }
            var end = i + 2 < headers.Count ? headers[i + 2].Start : text.Length;
            examples.Add(new UrialExample(
                Block(text, query, headers[i + 1].Start, frame, lines, source),
                Block(text, headers[i + 1], end, frame, lines, source)));
        }
        return new UrialPrompt(name, source, text[..preambleEnd], examples, frame);
    }

    /// <summary>
    /// Header lines outside fences, in order. A fence left open at the end of the file is an error, reported
    /// at the first header line that was read as text inside a fence (most likely where a closing fence is
    /// missing), or else where the open fence starts.
    /// </summary>
    private static List<Header> FindHeaders(string text, LineIndex lines, string source)
    {
        var headers = new List<Header>();
        var openFence = -1;
        (int Line, int Fence, string Marker)? swallowed = null;
        for (var line = 0; line < lines.Count; line++)
        {
            var (start, length) = lines.Span(line);
            var content = text.AsSpan(start, length);
            if (HeaderOf(content) is { } header)
            {
                if (openFence < 0)
                {
                    headers.Add(header with { Start = start, End = start + length });
                    continue;
                }
                swallowed ??= (line, openFence, header.Marker);
            }
            // Fences count from the first header on: a preamble may mention ``` in passing.
            if (headers.Count > 0 && CountFences(content) % 2 == 1)
            {
                openFence = openFence < 0 ? line : -1;
            }
        }
        if (openFence >= 0)
        {
            throw swallowed is var (at, fence, marker)
                ? UrialPromptException.At(source, at + 1, $"'{marker}' is read as text: the ``` fence opened on line {fence + 1} is not closed before it")
                : UrialPromptException.At(source, openFence + 1, "the ``` fence opened on this line is never closed");
        }
        return headers;
    }

    private static Header? HeaderOf(ReadOnlySpan<char> line)
    {
        var trimmed = line.TrimEnd();
        foreach (var markers in UrialMarkers.All)
        {
            if (trimmed.SequenceEqual(markers.Query))
            {
                return new Header(markers, IsAnswer: false, 0, 0);
            }
            if (trimmed.SequenceEqual(markers.Answer))
            {
                return new Header(markers, IsAnswer: true, 0, 0);
            }
        }
        return null;
    }

    private static int CountFences(ReadOnlySpan<char> line)
    {
        var count = 0;
        for (var at = line.IndexOf(UrialFrame.Fence, StringComparison.Ordinal); at >= 0; at = line.IndexOf(UrialFrame.Fence, StringComparison.Ordinal))
        {
            count++;
            line = line[(at + UrialFrame.Fence.Length)..];
        }
        return count;
    }

    /// <summary>Text before the first example is either blank or a section that starts with <c># Instruction</c>.</summary>
    private static void CheckPreamble(string text, int end, LineIndex lines, string source)
    {
        var start = 0;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }
        if (start == end)
        {
            return;
        }
        var line = lines.LineOf(start);
        var (lineStart, length) = lines.Span(line - 1);
        var first = text.AsSpan(lineStart, length).Trim();
        if (!first.SequenceEqual(InstructionHeader))
        {
            throw UrialPromptException.At(source, line, $"expected a '{InstructionHeader}' preamble or a '# Query:' example, found '{Snippet(first)}'");
        }
    }

    /// <summary>The frame: the markers of the first header (all must match) and whether its block is fenced.</summary>
    private static UrialFrame FrameOf(string text, List<Header> headers, LineIndex lines, string source)
    {
        var markers = headers[0].Markers;
        foreach (var header in headers)
        {
            if (header.Markers != markers)
            {
                throw UrialPromptException.At(source, lines.LineOf(header.Start),
                    $"'{header.Marker}' mixes header pairs: line {lines.LineOf(headers[0].Start)} uses '{markers.Query}' / '{markers.Answer}'");
            }
        }
        var end = headers.Count > 1 ? headers[1].Start : text.Length;
        var fenced = text.AsSpan(headers[0].End, end - headers[0].End).TrimStart().StartsWith(UrialFrame.Fence, StringComparison.Ordinal);
        return new UrialFrame(markers, fenced);
    }

    /// <summary>The block whose header is <paramref name="header"/> and whose text runs to <paramref name="end"/>.</summary>
    private static UrialBlock Block(string text, Header header, int end, UrialFrame frame, LineIndex lines, string source)
    {
        var headerLine = lines.LineOf(header.Start);
        var contentStart = SkipWhitespace(text, header.End, end);
        if (contentStart == end)
        {
            throw UrialPromptException.At(source, headerLine, $"the '{header.Marker}' block is empty");
        }
        var contentEnd = end;
        if (frame.Fenced)
        {
            if (!text.AsSpan(contentStart, end - contentStart).StartsWith(UrialFrame.Fence, StringComparison.Ordinal))
            {
                throw UrialPromptException.At(source, lines.LineOf(contentStart),
                    $"expected a ``` fence after '{header.Marker}' (the prompt's first block is fenced)");
            }
            // Header lines are only recognised outside fences, so the block holds whole fence pairs:
            // the first fence opens its text and the last one closes it.
            var close = text.LastIndexOf(UrialFrame.Fence, end - 1, end - contentStart, StringComparison.Ordinal);
            if (close < contentStart + UrialFrame.Fence.Length)
            {
                throw UrialPromptException.At(source, lines.LineOf(contentStart), $"the ``` fence after '{header.Marker}' is never closed");
            }
            var after = SkipWhitespace(text, close + UrialFrame.Fence.Length, end);
            if (after < end)
            {
                throw UrialPromptException.At(source, lines.LineOf(after), $"text after the closing ``` fence: '{Snippet(LineAt(text, after, end))}'");
            }
            contentEnd = close;
            contentStart = SkipWhitespace(text, contentStart + UrialFrame.Fence.Length, close);
        }
        while (contentEnd > contentStart && char.IsWhiteSpace(text[contentEnd - 1]))
        {
            contentEnd--;
        }
        if (contentEnd == contentStart)
        {
            throw UrialPromptException.At(source, headerLine, $"the '{header.Marker}' block is empty");
        }
        return new UrialBlock(text[header.Start..header.End], text[header.End..contentStart], text[contentStart..contentEnd], text[contentEnd..end], headerLine);
    }

    private static int SkipWhitespace(string text, int from, int end)
    {
        while (from < end && char.IsWhiteSpace(text[from]))
        {
            from++;
        }
        return from;
    }

    private static ReadOnlySpan<char> LineAt(string text, int from, int end)
    {
        var line = text.AsSpan(from, end - from);
        var newline = line.IndexOf('\n');
        return (newline < 0 ? line : line[..newline]).TrimEnd();
    }

    private static string Snippet(ReadOnlySpan<char> text)
        => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");

    /// <param name="Start">Where the header line starts in the text.</param>
    /// <param name="End">Where it ends, its line break included.</param>
    private sealed record Header(UrialMarkers Markers, bool IsAnswer, int Start, int End)
    {
        public string Marker => IsAnswer ? Markers.Answer : Markers.Query;
    }
}
