using System.Text;
using System.Text.Json;

namespace AlignLab.Runs;

/// <summary>
/// Remembers the SHA-256 of big files by (full path, length, last write time), so that every resume of a run over a
/// multi-gigabyte model does not read the whole model again — the same trust in size and time that make and git's
/// index place in them. Files smaller than <see cref="MinBytes"/> are hashed directly (cheap; no entry). The cache is
/// JSON Lines, one <c>{"path", "length", "mtime", "sha256"}</c> appended per file hashed, the last entry of a key
/// winning; unreadable lines (a torn append) are ignored, and a cache that cannot be read or written only costs the
/// reading of the file: it is an optimisation, never a failure. Past <see cref="MaxCacheBytes"/> it starts afresh.
/// </summary>
public sealed class FileHashCache(string cachePath, long minBytes = FileHashCache.DefaultMinBytes)
{
    public const long DefaultMinBytes = 256L << 20;

    public const long MaxCacheBytes = 4L << 20;

    private readonly Lock _lock = new();

    /// <summary>The cache of every run: <c>file-hashes.jsonl</c> in <see cref="CacheFolder.Root"/>.</summary>
    public static FileHashCache Default { get; } = new(Path.Combine(CacheFolder.Root, "file-hashes.jsonl"));

    public string CachePath { get; } = cachePath ?? throw new ArgumentNullException(nameof(cachePath));

    public long MinBytes { get; } = minBytes;

    /// <summary>The file's lowercase hex SHA-256, from the cache when its path, length and write time are unchanged.</summary>
    public string Sha256OfFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists || info.Length < MinBytes)
        {
            return FileHash.Sha256OfFile(path);
        }
        var key = new Key(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
        lock (_lock)
        {
            if (Lookup(key) is { } known)
            {
                return known;
            }
        }
        var sha256 = FileHash.Sha256OfFile(path);
        lock (_lock)
        {
            Remember(key, sha256);
        }
        return sha256;
    }

    private readonly record struct Key(string Path, long Length, long Mtime);

    private string? Lookup(Key key)
    {
        try
        {
            if (!File.Exists(CachePath) || new FileInfo(CachePath).Length > MaxCacheBytes)
            {
                return null;
            }
            string? found = null;
            foreach (var line in File.ReadLines(CachePath))
            {
                if (Parse(line) is { } entry && entry.Key == key)
                {
                    found = entry.Sha256;
                }
            }
            return found;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Remember(Key key, string sha256)
    {
        var line = JsonSerializer.Serialize(new { path = key.Path, length = key.Length, mtime = key.Mtime, sha256 }) + "\n";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(CachePath))!);
            var tooBig = File.Exists(CachePath) && new FileInfo(CachePath).Length > MaxCacheBytes;
            // One short write in append mode: concurrent runs interleave whole lines.
            using var stream = new FileStream(CachePath, tooBig ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(Encoding.UTF8.GetBytes(line));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not remembered: the next run hashes the file again.
        }
    }

    private static (Key Key, string Sha256)? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            var sha256 = e.GetProperty("sha256").GetString();
            if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
            {
                return null;
            }
            return (new Key(e.GetProperty("path").GetString() ?? "", e.GetProperty("length").GetInt64(), e.GetProperty("mtime").GetInt64()), sha256);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
