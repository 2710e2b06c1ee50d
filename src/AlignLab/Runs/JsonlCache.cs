using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>
/// Results worth keeping across runs (embeddings, summaries), each a JSON object with a <c>"key"</c> string, in an
/// append-only JSON Lines file: each result is one flushed line, so a run killed at any point keeps everything it
/// paid for, and a torn last line is dropped when the file is opened (<see cref="JsonlLog"/>). One run writes a
/// cache at a time (a lock file beside it). Not thread-safe.
/// </summary>
public sealed class JsonlCache : IDisposable
{
    private readonly RunLock _lock;
    private readonly JsonlLog _log;
    private readonly Dictionary<string, JsonElement> _entries;

    private JsonlCache(RunLock fileLock, JsonlLog log, Dictionary<string, JsonElement> entries)
    {
        _lock = fileLock;
        _log = log;
        _entries = entries;
    }

    public string Path => _log.Path;

    /// <summary>Opens or creates the cache at <paramref name="path"/>; a line that is not an object with a "key" string is an error naming it.</summary>
    public static JsonlCache Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileLock = RunLock.ForFile(path);
        try
        {
            var entries = Read(path);
            var log = JsonlLog.Open(path, KeyOf);
            return new JsonlCache(fileLock, log, entries);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    public bool TryGet(string key, out JsonElement entry) => _entries.TryGetValue(key, out entry);

    /// <summary>Appends <paramref name="entry"/> (one JSON object with its "key") and flushes it to disk.</summary>
    public void Add(ReadOnlySpan<byte> entry)
    {
        using var document = JsonDocument.Parse(entry.ToArray());
        var key = KeyOf(document.RootElement);
        _log.Append(entry);
        _entries[key] = document.RootElement.Clone();
    }

    public void Dispose()
    {
        _log.Dispose();
        _lock.Dispose();
    }

    private static string KeyOf(JsonElement line)
        => line.ValueKind == JsonValueKind.Object && line.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            ? key.GetString()!
            : throw new FormatException("expected an object with a \"key\" string");

    /// <summary>The entries in the file (none when it does not exist); an unterminated last line is a torn write and ignored.</summary>
    private static Dictionary<string, JsonElement> Read(string path)
    {
        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return entries;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var reader = new BoundedLineReader(stream, path, ReadLimits.Default.MaxLineBytes);
        while (reader.TryRead(out var line) && line.Terminated)
        {
            try
            {
                using var document = JsonDocument.Parse(line.Bytes);
                entries[KeyOf(document.RootElement)] = document.RootElement.Clone();
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw DataFormatException.At(path, line.Number, "damaged cache line: " + e.Message);
            }
        }
        return entries;
    }
}
