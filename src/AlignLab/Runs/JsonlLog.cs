using System.Globalization;
using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>
/// An append-only JSON Lines results file that survives being killed at any moment. Each record is
/// written as one whole line with its '\n' in a single write and flushed to disk. Opening an existing
/// file reads every line: a last line without its '\n' is a write cut short by a kill (even kill -9) and
/// is cut off, so no partial line remains; any other unreadable line is damage, reported with its line.
/// Every line has a key (an example's id, say); <see cref="Contains"/> tells finished keys so a resumed
/// run skips them, and a key is never written twice.
/// </summary>
public sealed class JsonlLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly Func<JsonElement, string> _keyOf;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    private JsonlLog(string path, FileStream stream, Func<JsonElement, string> keyOf)
    {
        Path = path;
        _stream = stream;
        _keyOf = keyOf;
    }

    public string Path { get; }

    /// <summary>Lines in the file (recovered and appended).</summary>
    public int Count => _keys.Count;

    /// <summary>Bytes cut off the end when the file was opened (0 unless the last write was torn).</summary>
    public long TruncatedBytes { get; private set; }

    /// <summary>
    /// Opens or creates <paramref name="path"/>, recovering what is there. <paramref name="keyOf"/> gives a
    /// line's key; it throws (any exception) for a line that has none, which is reported as damage.
    /// </summary>
    public static JsonlLog Open(string path, Func<JsonElement, string> keyOf, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(keyOf);
        limits ??= ReadLimits.Default;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
        var log = new JsonlLog(path, stream, keyOf);
        try
        {
            log.Recover(limits);
            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    public bool Contains(string key) => _keys.Contains(key);

    /// <summary>Appends one record, a complete JSON value without line breaks, and flushes it to disk.</summary>
    public void Append(ReadOnlySpan<byte> json)
    {
        if (json.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            throw new ArgumentException("a JSONL record cannot contain a line break", nameof(json));
        }
        string key;
        using (var document = JsonDocument.Parse(json.ToArray()))
        {
            key = _keyOf(document.RootElement);
        }
        if (!_keys.Add(key))
        {
            throw new InvalidOperationException($"{Path}: a line with key {key} is already written");
        }
        var line = new byte[json.Length + 1];
        json.CopyTo(line);
        line[^1] = (byte)'\n';
        _stream.Write(line);
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();

    private void Recover(ReadLimits limits)
    {
        _stream.Position = 0;
        var reader = new BoundedLineReader(_stream, Path, limits.MaxLineBytes);
        long goodEnd = 0;
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.TryRead(out var line))
        {
            if (!line.Terminated)
            {
                break; // a torn last write: cut below
            }
            var key = KeyOf(line);
            if (lines.TryGetValue(key, out var first))
            {
                throw DataFormatException.At(Path, line.Number, string.Create(CultureInfo.InvariantCulture, $"key {key} repeats line {first}"));
            }
            lines[key] = line.Number;
            _keys.Add(key);
            goodEnd = line.NextOffset;
        }
        TruncatedBytes = _stream.Length - goodEnd;
        if (TruncatedBytes > 0)
        {
            _stream.SetLength(goodEnd);
            _stream.Flush(flushToDisk: true);
        }
        _stream.Position = goodEnd;
    }

    private string KeyOf(FileLine line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.Bytes);
            return _keyOf(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw DataFormatException.At(Path, line.Number, "damaged line (not a complete record): " + e.Message);
        }
    }
}
