using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.Safetensors;

public class SafetensorsRoundTripTests
{
    [Fact]
    public void Writes_then_maps_F32_F16_BF16_tensors_and_metadata()
    {
        using var dir = new ScratchDirectory();
        var path = dir.File("model.safetensors");
        var f32 = Enumerable.Range(0, 6).Select(i => i * 0.5f - 1).ToArray();
        var f16 = new[] { (Half)1.5f, (Half)(-2f), (Half)0.25f };
        var bf16 = new byte[] { 0x80, 0x3F, 0x00, 0xC0 }; // 1.0, -2.0
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Add("model.embed_tokens.weight", SafetensorsDType.F16, [3], MemoryMarshal.AsBytes(f16.AsSpan()));
        writer.Add("a.bf16", SafetensorsDType.BF16, [2, 1], bf16);
        writer.Add("lm_head.weight", SafetensorsDType.F32, [2, 3], MemoryMarshal.AsBytes(f32.AsSpan()));
        writer.Add("empty", SafetensorsDType.F32, [0, 4], []);
        writer.Save(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(4, file.Tensors.Count);
        var head = file.Get("lm_head.weight");
        Assert.Equal(SafetensorsDType.F32, head.DType);
        Assert.Equal([2L, 3], head.Shape);
        Assert.Equal(f32, MemoryMarshal.Cast<byte, float>(file.GetData(head)).ToArray());
        Assert.Equal(f16, MemoryMarshal.Cast<byte, Half>(file.GetData(file.Get("model.embed_tokens.weight"))).ToArray());
        Assert.Equal(bf16, file.GetData(file.Get("a.bf16")).ToArray());
        Assert.Equal(0, file.GetData(file.Get("empty")).Length);
        Assert.Equal([0x00, 0xC0], file.GetData(file.Get("a.bf16"), 2, 2).ToArray());
        Assert.Equal(6, head.ElementCount);
    }

    [Fact]
    public void Header_is_padded_to_8_bytes_and_wider_types_come_first_so_data_is_aligned()
    {
        var writer = new SafetensorsWriter();
        writer.Add("b", SafetensorsDType.F16, [1], new byte[2]);
        writer.Add("a", SafetensorsDType.F32, [1], new byte[4]);
        var bytes = writer.ToArray();
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        using var file = SafetensorsFile.Parse(bytes);
        Assert.Equal(["a", "b"], file.Tensors.OrderBy(t => t.DataOffset).Select(t => t.Name));
        Assert.All(file.Tensors, t => Assert.Equal(0, t.DataOffset % t.DType.Size()));
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_behind()
    {
        using var dir = new ScratchDirectory();
        var path = dir.File("w.safetensors");
        File.WriteAllText(path, "old");
        var writer = new SafetensorsWriter();
        writer.Add("x", SafetensorsDType.F32, [1], SafetensorsTestFiles.Floats(3));
        writer.Save(path);
        Assert.Equal(["w.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("x", Assert.Single(file.Tensors).Name);
    }

    [Fact]
    public void Writer_rejects_duplicates_and_size_mismatches()
    {
        var writer = new SafetensorsWriter();
        writer.Add("x", SafetensorsDType.F32, [1], new byte[4]);
        Assert.Throws<ArgumentException>(() => writer.Add("x", SafetensorsDType.F32, [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.Add("y", SafetensorsDType.F32, [2], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", SafetensorsDType.F32, [1], new byte[4]));
    }

    [Fact]
    public void Every_listed_dtype_is_parsed_with_its_size_but_only_floats_are_supported()
    {
        foreach (var type in Enum.GetValues<SafetensorsDType>())
        {
            Assert.True(SafetensorsDTypes.TryParse(type.Name(), out var parsed));
            Assert.Equal(type, parsed);
            var writer = new SafetensorsWriter();
            writer.Add("t", type, [3], new byte[3 * type.Size()]);
            using var file = SafetensorsFile.Parse(writer.ToArray());
            Assert.Equal(type, file.Get("t").DType);
        }
        Assert.Equal("F16, BF16, F32", SafetensorsDTypes.SupportedNames);
    }
}
