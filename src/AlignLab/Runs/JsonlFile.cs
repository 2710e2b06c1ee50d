using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>One line of a JSON Lines file, parsed.</summary>
public readonly record struct JsonlEntry(long Line, JsonElement Element);

/// <summary>Streams a finished JSON Lines results file, one parsed line at a time, strictly.</summary>
public static class JsonlFile
{
    /// <summary>
    /// Every line as JSON (blank lines skipped). An unreadable line, or a last line without its '\n' (a run
    /// that was interrupted and not resumed), is an error naming the line.
    /// </summary>
    public static IEnumerable<JsonlEntry> Read(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= ReadLimits.Default;
        using var stream = File.OpenRead(path);
        var reader = new BoundedLineReader(stream, path, limits.MaxLineBytes);
        while (reader.TryRead(out var line))
        {
            if (line.Bytes.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }
            if (!line.Terminated)
            {
                throw DataFormatException.At(path, line.Number, "incomplete last line: the run was interrupted; rerun it to resume and repair the file");
            }
            yield return new JsonlEntry(line.Number, Parse(path, line));
        }
    }

    private static JsonElement Parse(string path, FileLine line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.Bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw DataFormatException.At(path, line.Number, "not valid JSON: " + e.Message);
        }
    }
}
