using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlignLab.Embeddings;
using AlignLab.Runs;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// An embedder whose vectors are kept in a cache file (<see cref="JsonlCache"/>), one line
/// <c>{"key", "text_sha256", "embedder", "embedding": [...]}</c> per text, keyed by the text's SHA-256 and the
/// embedder's name: a resumed run embeds nothing twice, and another embedder's vectors are never mistaken for its own.
/// </summary>
public sealed class CachedEmbedder(IEmbedder inner, JsonlCache cache) : IEmbedder
{
    private readonly IEmbedder _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly JsonlCache _cache = cache ?? throw new ArgumentNullException(nameof(cache));

    public string Name => _inner.Name;

    /// <summary>Texts embedded by the inner embedder (not found in the cache) since this was made.</summary>
    public int Computed { get; private set; }

    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var textHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var key = textHash + " " + Name;
        if (_cache.TryGet(key, out var entry))
        {
            return Read(entry);
        }
        var vector = _inner.Embed(text);
        Computed++;
        _cache.Add(Line(key, textHash, vector));
        return vector;
    }

    private float[] Read(JsonElement entry)
    {
        if (entry.TryGetProperty("embedding", out var embedding) && embedding.ValueKind == JsonValueKind.Array
            && embedding.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number))
        {
            return [.. embedding.EnumerateArray().Select(v => v.GetSingle())];
        }
        throw new FormatException($"{_cache.Path}: the entry {entry.GetProperty("key").GetString()} has no \"embedding\" array of numbers");
    }

    private byte[] Line(string key, string textHash, float[] vector)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteString("text_sha256", textHash);
            json.WriteString("embedder", Name);
            json.WriteStartArray("embedding");
            foreach (var v in vector)
            {
                json.WriteNumberValue(v);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
