using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.Safetensors;

public class SafetensorsTensorSourceTests
{
    private static void Shard(string path, params (string Name, float[] Values)[] tensors)
    {
        var writer = new SafetensorsWriter();
        foreach (var (name, values) in tensors)
        {
            writer.Add(name, [values.Length], values, SafetensorsDType.BF16);
        }
        writer.Save(path);
    }

    private static string Index(ScratchDirectory dir, string weightMap)
        => dir.Write(SafetensorsIndex.FileName, """{"metadata": {"total_size": 16}, "weight_map": {""" + weightMap + "}}");

    [Fact]
    public void Sharded_checkpoint_maps_only_the_shards_it_reads()
    {
        using var dir = new ScratchDirectory();
        Shard(dir.File("model-00001-of-00002.safetensors"), ("a", [1f, 2f]));
        Shard(dir.File("model-00002-of-00002.safetensors"), ("b", [3f, -4f, 0.5f]));
        Index(dir, """ "a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors" """);
        // Replacing shard 2 with garbage proves it is not parsed until one of its tensors is needed.
        var good = File.ReadAllBytes(dir.File("model-00002-of-00002.safetensors"));
        File.WriteAllBytes(dir.File("model-00002-of-00002.safetensors"), new byte[3]);
        using (var source = SafetensorsTensorSource.OpenFolder(dir.Path))
        {
            Assert.True(source.TryGet("a", out var a));
            Assert.Equal(GgmlType.BF16, a.Type);
            Assert.Equal([2L], a.Shape);
            Assert.Equal(new byte[] { 0x80, 0x3F, 0x00, 0x40 }, source.GetData(a).ToArray());
            Assert.False(source.TryGet("zzz", out _));
            Assert.Throws<ModelFormatException>(() => source.TryGet("b", out _));
        }
        File.WriteAllBytes(dir.File("model-00002-of-00002.safetensors"), good);
        using var whole = SafetensorsTensorSource.OpenFolder(dir.Path);
        Assert.Equal(["a", "b"], whole.Tensors.Select(t => t.Name));
        Assert.Equal(TensorNaming.HuggingFace, whole.Naming);
    }

    [Fact]
    public void Missing_shard_is_named_up_front()
    {
        using var dir = new ScratchDirectory();
        Shard(dir.File("one.safetensors"), ("a", [1f]));
        Index(dir, """ "a": "one.safetensors", "b": "two.safetensors" """);
        var e = Assert.Throws<ModelFormatException>(() => SafetensorsTensorSource.OpenFolder(dir.Path));
        Assert.Contains("model.safetensors.index.json: weight_map: shard \"two.safetensors\" is missing from", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(""" "a": "../outside.safetensors" """, "weight_map.a: shard \"../outside.safetensors\" is not a plain file name")]
    [InlineData(""" "a": 5 """, "weight_map.a: expected a string, found 5")]
    [InlineData(""" "a": "one.safetensors", "a": "one.safetensors" """, "weight_map.a: appears twice")]
    public void Hostile_index_entries_are_rejected(string weightMap, string expected)
    {
        using var dir = new ScratchDirectory();
        Index(dir, weightMap);
        var e = Assert.Throws<ModelFormatException>(() => SafetensorsTensorSource.OpenFolder(dir.Path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_the_index_misplaces_is_named()
    {
        using var dir = new ScratchDirectory();
        Shard(dir.File("one.safetensors"), ("a", [1f]));
        Index(dir, """ "a": "one.safetensors", "b": "one.safetensors" """);
        using var source = SafetensorsTensorSource.OpenFolder(dir.Path);
        var e = Assert.Throws<ModelFormatException>(() => source.TryGet("b", out _));
        Assert.Contains("tensor \"b\": listed in shard \"one.safetensors\", which does not contain it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_dtypes_are_reported_when_read()
    {
        using var dir = new ScratchDirectory();
        var writer = new SafetensorsWriter();
        writer.Add("ids", SafetensorsDType.I64, [2], new byte[16]);
        writer.Save(dir.File("model.safetensors"));
        using var source = SafetensorsTensorSource.OpenFolder(dir.Path);
        var e = Assert.Throws<ModelFormatException>(() => source.TryGet("ids", out _));
        Assert.Contains("model.safetensors: tensor \"ids\" dtype at offset", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("I64 is not supported (supported: F16, BF16, F32)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_weights_says_so()
    {
        using var dir = new ScratchDirectory();
        var e = Assert.Throws<ModelFormatException>(() => SafetensorsTensorSource.OpenFolder(dir.Path));
        Assert.EndsWith("weights: neither model.safetensors.index.json nor model.safetensors is present", e.Message, StringComparison.Ordinal);
    }
}
