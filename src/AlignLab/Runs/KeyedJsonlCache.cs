using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>
/// Finished results by key in an append-only JSON Lines file shared by runs (a judge's verdicts, say): each result is
/// one flushed line with a <c>"key"</c> string, so a run killed at any point keeps every result it paid for, and a
/// torn last line is dropped when the file is next opened for writing (<see cref="JsonlLog"/>). One run writes a cache
/// at a time (a lock file beside it). <see cref="Add"/> may be called from several threads.
/// </summary>
/// <typeparam name="T">A result as the caller reads it from its line.</typeparam>
public sealed class KeyedJsonlCache<T> : IDisposable
{
    private readonly RunLock _lock;
    private readonly JsonlLog _log;
    private readonly Dictionary<string, T> _entries;
    private readonly Lock _gate = new();

    private KeyedJsonlCache(RunLock fileLock, JsonlLog log, Dictionary<string, T> entries)
    {
        _lock = fileLock;
        _log = log;
        _entries = entries;
    }

    /// <summary>
    /// Opens or creates the cache for writing, holding the results whose keys are in <paramref name="wanted"/>, each
    /// read from its line by <paramref name="read"/> (given the line's number; it throws a <see cref="DataFormatException"/> for a bad one).
    /// </summary>
    public static KeyedJsonlCache<T> Open(string path, IReadOnlySet<string> wanted, Func<JsonElement, long, T> read)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(read);
        var fileLock = RunLock.ForFile(path);
        try
        {
            var entries = KeyedJsonlFile.Read(path, wanted, read);
            var log = JsonlLog.Open(path, KeyedJsonlFile.KeyOf);
            return new KeyedJsonlCache<T>(fileLock, log, entries);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    public bool TryGet(string key, out T value)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out value!);
        }
    }

    /// <summary>Appends <paramref name="line"/> (one JSON object whose "key" is <paramref name="key"/>) and flushes it, unless the key is already there.</summary>
    public void Add(string key, T value, ReadOnlySpan<byte> line)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_entries.TryAdd(key, value))
            {
                _log.Append(line);
            }
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        _lock.Dispose();
    }
}
