using AlignLab.Engine.Formats.HuggingFace;

namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>
/// <c>model.safetensors.index.json</c>: which shard file holds each tensor of a sharded checkpoint.
/// Shard names must be plain file names in the index's folder.
/// </summary>
public sealed class SafetensorsIndex
{
    public const string FileName = "model.safetensors.index.json";

    private SafetensorsIndex(string path, IReadOnlyDictionary<string, string> weightMap)
    {
        Path = path;
        WeightMap = weightMap;
        Shards = [.. weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public string Path { get; }

    /// <summary>Tensor name → shard file name.</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>Distinct shard file names, sorted.</summary>
    public IReadOnlyList<string> Shards { get; }

    public static SafetensorsIndex Read(string path)
    {
        using var doc = JsonFile.Load(path);
        var json = new JsonFields(doc.RootElement, path);
        var map = json.Object("weight_map") ?? throw ModelFormatException.In(path, "weight_map", "missing");
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in map.Names)
        {
            var shard = map.String(name) ?? throw ModelFormatException.In(path, map.FieldPath(name), "missing shard name");
            if (shard.Length == 0 || shard != System.IO.Path.GetFileName(shard) || shard is "." or ".." || shard.Contains('\\', StringComparison.Ordinal))
            {
                throw ModelFormatException.In(path, map.FieldPath(name), $"shard \"{shard}\" is not a plain file name in the index's folder");
            }
            if (!weightMap.TryAdd(name, shard))
            {
                throw ModelFormatException.In(path, map.FieldPath(name), "appears twice");
            }
        }
        return new SafetensorsIndex(path, weightMap);
    }
}
