using System.Globalization;
using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Tds;

/// <summary>Where one result line lies, and its record index.</summary>
public sealed record LineLocation(int Index, string Path, long Line, long Offset, int Length);

/// <summary>
/// The lines of one or more results files (positions.jsonl, skipped.jsonl) in the order of their records'
/// <c>index</c>, whatever order they were written in (a resumed run, shards): a first pass notes where each
/// line is, a second reads them in order, so only one line is held at a time and sums over lines come out
/// the same however the work was split. A record index found twice is an error naming both lines.
/// </summary>
public sealed class OrderedLines
{
    private OrderedLines(IReadOnlyList<LineLocation> locations) => Locations = locations;

    public IReadOnlyList<LineLocation> Locations { get; }

    public static OrderedLines Locate(IEnumerable<string> paths, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        limits ??= ReadLimits.Default;
        var locations = new List<LineLocation>();
        foreach (var path in paths)
        {
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
                var index = ExampleLine.IndexOf(Parse(path, line.Number, line.Bytes), path, line.Number);
                locations.Add(new LineLocation(index, path, line.Number, line.Offset, line.Bytes.Length));
            }
        }
        var ordered = locations.OrderBy(l => l.Index).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Index == ordered[i - 1].Index)
            {
                var (a, b) = (ordered[i - 1], ordered[i]);
                throw DataFormatException.At(b.Path, b.Line, string.Create(CultureInfo.InvariantCulture,
                    $"record index {b.Index} is already at {DataFormatException.Where(a.Path, a.Line)} (overlapping runs or shards?)"));
            }
        }
        return new OrderedLines(ordered);
    }

    /// <summary>Every line, in record order, parsed.</summary>
    public IEnumerable<(LineLocation Location, JsonElement Json)> Read()
        => ReadBytes().Select(l => (l.Location, Parse(l.Location.Path, l.Location.Line, l.Bytes)));

    /// <summary>Copies every line byte for byte, in record order, to <paramref name="output"/>, each ending with '\n'.</summary>
    public void CopyTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (_, bytes) in ReadBytes())
        {
            output.Write(bytes);
            output.WriteByte((byte)'\n');
        }
    }

    private IEnumerable<(LineLocation Location, byte[] Bytes)> ReadBytes()
    {
        var streams = new Dictionary<string, FileStream>(StringComparer.Ordinal);
        try
        {
            foreach (var location in Locations)
            {
                if (!streams.TryGetValue(location.Path, out var stream))
                {
                    stream = File.OpenRead(location.Path);
                    streams[location.Path] = stream;
                }
                var bytes = new byte[location.Length];
                stream.Position = location.Offset;
                stream.ReadExactly(bytes);
                yield return (location, bytes);
            }
        }
        finally
        {
            foreach (var stream in streams.Values)
            {
                stream.Dispose();
            }
        }
    }

    private static JsonElement Parse(string path, long line, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw DataFormatException.At(path, line, "not valid JSON: " + e.Message);
        }
    }
}
