using System.Text.Json;
using System.Text.Unicode;

namespace AlignLab.Engine.Formats;

/// <summary>
/// Loads a JSON file (a config, a tokenizer, a list of cases) with a size bound, turning every
/// failure into a one-line <see cref="ModelFormatException"/> naming the file, line and byte.
/// </summary>
public static class JsonFile
{
    /// <summary>Config-style files are kilobytes; the largest real tokenizer.json files are a few tens of megabytes.</summary>
    public const long DefaultMaxBytes = 256L << 20;

    public static JsonDocument Load(string path, long maxBytes = DefaultMaxBytes)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found");
        }
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
        {
            throw ModelFormatException.In(path, name, $"{length} bytes is larger than the {maxBytes}-byte limit for this file");
        }
        return Parse(File.ReadAllBytes(path), path);
    }

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string file)
    {
        // The parser checks structure but not the UTF-8 inside strings, which would fail later in GetString.
        if (!Utf8.IsValid(utf8.Span))
        {
            throw ModelFormatException.In(file, "JSON", "is not valid UTF-8");
        }
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            // System.Text.Json counts from 0 and appends the position to its message; editors count from 1.
            var reason = e.Message.Split(" LineNumber:", 2)[0].Split('\n', 2)[0].TrimEnd();
            throw new ModelFormatException($"{file}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {reason}", e);
        }
    }
}
