using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>
/// A <see cref="JsonlCache"/> of typed results (a judge's verdicts, say) that several threads fill at once: the
/// wanted entries are read into results when the cache opens, so a damaged one is reported at once, naming the file
/// and its key; <see cref="Add"/> appends and flushes one line under a lock.
/// </summary>
/// <typeparam name="T">A result as the caller reads it from its line.</typeparam>
public sealed class KeyedJsonlCache<T> : IDisposable
{
    private readonly JsonlCache _file;
    private readonly Dictionary<string, T> _entries;
    private readonly Lock _gate = new();

    private KeyedJsonlCache(JsonlCache file, Dictionary<string, T> entries)
    {
        _file = file;
        _entries = entries;
    }

    /// <summary>
    /// Opens or creates the cache, holding the results whose keys are in <paramref name="wanted"/>, each read from its
    /// line by <paramref name="read"/>, which throws a <see cref="FormatException"/> saying what is wrong with a bad one.
    /// </summary>
    public static KeyedJsonlCache<T> Open(string path, IReadOnlySet<string> wanted, Func<JsonElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(read);
        var file = JsonlCache.Open(path);
        try
        {
            var entries = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var key in wanted)
            {
                if (file.TryGet(key, out var line))
                {
                    entries[key] = ReadEntry(path, key, line, read);
                }
            }
            return new KeyedJsonlCache<T>(file, entries);
        }
        catch
        {
            file.Dispose();
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
                _file.Add(line);
            }
        }
    }

    public void Dispose() => _file.Dispose();

    private static T ReadEntry(string path, string key, JsonElement line, Func<JsonElement, T> read)
    {
        try
        {
            return read(line);
        }
        catch (FormatException e)
        {
            throw new DataFormatException($"{path}: the cached entry \"{key}\" is damaged: {e.Message}", e);
        }
    }
}
