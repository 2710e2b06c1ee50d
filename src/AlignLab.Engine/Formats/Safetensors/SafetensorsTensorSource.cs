using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>
/// The tensors of a Hugging Face checkpoint: one <c>model.safetensors</c>, or the shards listed by
/// <c>model.safetensors.index.json</c>. Every shard is checked to exist up front but mapped only when
/// one of its tensors is first asked for. Only F32, F16 and BF16 tensors can be read.
/// </summary>
public sealed class SafetensorsTensorSource : ITensorSource
{
    public const string SingleFileName = "model.safetensors";

    private readonly Dictionary<string, Lazy<SafetensorsFile>> _shards;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _shardOf;
    private readonly ConcurrentDictionary<string, (TensorDescriptor Descriptor, SafetensorsTensorInfo Info, SafetensorsFile File)> _resolved = new(StringComparer.Ordinal);

    private SafetensorsTensorSource(string location, string directory, IReadOnlyList<string> shards, IReadOnlyDictionary<string, string>? shardOf)
    {
        Location = location;
        foreach (var shard in shards)
        {
            var path = Path.Combine(directory, shard);
            if (!File.Exists(path))
            {
                throw ModelFormatException.In(location, shardOf is null ? "file" : "weight_map", $"shard \"{shard}\" is missing from {directory}");
            }
        }
        _shards = shards.ToDictionary(s => s, s => new Lazy<SafetensorsFile>(() => SafetensorsFile.Open(Path.Combine(directory, s))), StringComparer.Ordinal);
        // A single file lists its own tensors; the map is built from its header on first use.
        _shardOf = new(() => shardOf ?? _shards[shards[0]].Value.Tensors.ToDictionary(t => t.Name, _ => shards[0], StringComparer.Ordinal));
    }

    public TensorNaming Naming => TensorNaming.HuggingFace;

    public string Location { get; }

    /// <summary>Every tensor, in name order; reading this maps every shard.</summary>
    public IReadOnlyList<TensorDescriptor> Tensors
        => [.. _shardOf.Value.Keys.Order(StringComparer.Ordinal).Select(name => Resolve(name)!.Value.Descriptor)];

    /// <summary>The checkpoint in <paramref name="directory"/>: the sharded index when present, else model.safetensors.</summary>
    public static SafetensorsTensorSource OpenFolder(string directory)
    {
        var index = Path.Combine(directory, SafetensorsIndex.FileName);
        if (File.Exists(index))
        {
            return OpenIndex(index);
        }
        var single = Path.Combine(directory, SingleFileName);
        return File.Exists(single)
            ? OpenFile(single)
            : throw ModelFormatException.In(directory, "weights", $"neither {SafetensorsIndex.FileName} nor {SingleFileName} is present");
    }

    public static SafetensorsTensorSource OpenFile(string path)
        => new(path, Path.GetDirectoryName(Path.GetFullPath(path))!, [Path.GetFileName(path)], shardOf: null);

    public static SafetensorsTensorSource OpenIndex(string indexPath)
    {
        var index = SafetensorsIndex.Read(indexPath);
        return new SafetensorsTensorSource(indexPath, Path.GetDirectoryName(Path.GetFullPath(indexPath))!, index.Shards, index.WeightMap);
    }

    public bool TryGet(string name, [NotNullWhen(true)] out TensorDescriptor? tensor)
    {
        tensor = Resolve(name)?.Descriptor;
        return tensor is not null;
    }

    public ReadOnlySpan<byte> GetData(TensorDescriptor tensor, long offset, int length)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_resolved.TryGetValue(tensor.Name, out var entry) || !ReferenceEquals(entry.Descriptor, tensor))
        {
            throw new ArgumentException($"tensor '{tensor.Name}' does not belong to {Location}", nameof(tensor));
        }
        return entry.File.GetData(entry.Info, offset, length);
    }

    public void Dispose()
    {
        foreach (var shard in _shards.Values.Where(s => s.IsValueCreated))
        {
            shard.Value.Dispose();
        }
    }

    private (TensorDescriptor Descriptor, SafetensorsTensorInfo Info, SafetensorsFile File)? Resolve(string name)
    {
        if (_resolved.TryGetValue(name, out var known))
        {
            return known;
        }
        if (!_shardOf.Value.TryGetValue(name, out var shard))
        {
            return null;
        }
        var file = _shards[shard].Value;
        if (!file.TryGet(name, out var info))
        {
            throw ModelFormatException.In(Location, SafetensorsHeader.Describe(name), $"listed in shard \"{shard}\", which does not contain it");
        }
        if (!info.DType.IsSupported())
        {
            throw ModelFormatException.At(file.Path, SafetensorsHeader.Describe(name) + " dtype", info.DataOffset,
                $"{info.DType.Name()} is not supported (supported: {SafetensorsDTypes.SupportedNames})");
        }
        return _resolved.GetOrAdd(name, _ => (new TensorDescriptor(name, info.DType.ToGgml(), info.Shape, info.ByteSize), info, file));
    }
}
