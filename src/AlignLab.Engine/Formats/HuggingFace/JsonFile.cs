using System.Text.Json;
using System.Text.Unicode;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>Loads a small JSON file with a size bound, turning every failure into a <see cref="ModelFormatException"/>.</summary>
internal static class JsonFile
{
    /// <summary>Config-style files are kilobytes; tokenizer_config.json with its added tokens a few megabytes.</summary>
    public const long DefaultMaxBytes = 64L << 20;

    public static JsonDocument Load(string path, long maxBytes = DefaultMaxBytes)
    {
        var name = Path.GetFileName(path);
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
            throw ModelFormatException.In(file, "JSON", $"invalid at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
    }
}
