using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>Reading the lines of a <see cref="KeyedJsonlCache{T}"/> file: objects with a "key" string, the last line possibly torn.</summary>
public static class KeyedJsonlFile
{
    /// <summary>The keys among <paramref name="wanted"/> that a cache file holds, read without writing anything (a torn last line is ignored).</summary>
    public static IReadOnlySet<string> FindKeys(string path, IReadOnlySet<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(wanted);
        return Read(path, wanted, (_, _) => true).Keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The line's key; a line without one is damage (<see cref="JsonlLog"/> reports it).</summary>
    internal static string KeyOf(JsonElement line) => line.GetProperty("key").GetString() ?? throw new FormatException("\"key\" is null");

    /// <summary>The wanted results in the file (none when it does not exist); an unterminated last line is a torn write and ignored.</summary>
    internal static Dictionary<string, T> Read<T>(string path, IReadOnlySet<string> wanted, Func<JsonElement, long, T> read)
    {
        var entries = new Dictionary<string, T>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return entries;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var reader = new BoundedLineReader(stream, path, ReadLimits.Default.MaxLineBytes);
        while (reader.TryRead(out var line))
        {
            if (!line.Terminated)
            {
                break;
            }
            using var document = Parse(path, line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String)
            {
                throw DataFormatException.At(path, line.Number, "expected a result with a \"key\" string");
            }
            if (wanted.Contains(key.GetString()!))
            {
                entries[key.GetString()!] = read(root, line.Number);
            }
        }
        return entries;
    }

    private static JsonDocument Parse(string path, FileLine line)
    {
        try
        {
            return JsonDocument.Parse(line.Bytes);
        }
        catch (JsonException e)
        {
            throw DataFormatException.At(path, line.Number, "damaged line (not a complete result): " + e.Message);
        }
    }
}
