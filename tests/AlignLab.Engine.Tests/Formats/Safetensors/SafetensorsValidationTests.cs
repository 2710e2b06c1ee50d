using System.Buffers.Binary;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.Safetensors;

public class SafetensorsValidationTests
{
    private static string Fails(byte[] bytes)
    {
        var e = Assert.Throws<ModelFormatException>(() => SafetensorsFile.Parse(bytes, "bad.safetensors"));
        Assert.StartsWith("bad.safetensors: ", e.Message, StringComparison.Ordinal);
        return e.Message;
    }

    private static string Fails(string header, int dataLength) => Fails(SafetensorsTestFiles.Build(header, dataLength));

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "tensor \"w\" data_offsets at offset 62: end 8 is past the 4-byte data section")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor \"w\" data_offsets at offset 62: covers 8 bytes but shape [3] of F32 needs 12")]
    [InlineData("""{"w":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,8]}}""", 8, "tensor \"w\" dtype at offset 8: unknown dtype \"Q4_K\"")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "tensor \"w\" shape at offset 8: item 0 is not a non-negative integer")]
    [InlineData("""{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", 8, "tensor \"w\" shape at offset 8: is not a list of integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "tensor \"w\" data_offsets at offset 8: must be [begin, end] with begin <= end")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", 8, "tensor \"w\" data_offsets at offset 8: missing")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", 8, "tensor \"w\" shape at offset 8: element count overflows")]
    [InlineData("""{"w":[1]}""", 0, "tensor \"w\" at offset 8: is not an object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor \"b\" data_offsets at offset 119: overlaps the previous tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "tensor \"b\" data_offsets at offset 124: leaves a gap after offset 120")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "data_offsets at offset 66: tensor data ends at 66 but the file has 70 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor \"a\" at offset 8: appears twice in the header")]
    [InlineData("""{"__metadata__":{"format":1}}""", 0, "__metadata__.format at offset 8: is not a string")]
    [InlineData("""{"__metadata__":[]}""", 0, "__metadata__ at offset 8: is not an object of strings")]
    [InlineData("""[1,2]""", 0, "header at offset 8: does not start with '{'")]
    [InlineData("""{"a": }""", 0, "header at offset 8: invalid JSON at line 1")]
    [InlineData("""{}""", 0, "")]
    public void Hostile_headers_name_the_tensor_field_and_offset(string header, int dataLength, string expected)
    {
        if (expected.Length == 0)
        {
            using var ok = SafetensorsFile.Parse(SafetensorsTestFiles.Build(header, dataLength));
            Assert.Empty(ok.Tensors);
            return;
        }
        Assert.Contains(expected, Fails(header, dataLength), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_is_bounded_and_checked_against_the_file()
    {
        var bytes = SafetensorsTestFiles.Build("{}", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains("header length at offset 0: 18446744073709551615 bytes exceeds the 100000000-byte limit", Fails(bytes), StringComparison.Ordinal);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        Assert.Contains("header length at offset 0: 1000 bytes but only 2 follow (truncated file?)", Fails(bytes), StringComparison.Ordinal);
        Assert.Contains("fewer than the 8-byte length prefix", Fails(new byte[5]), StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_short_or_empty_file_is_a_format_error_not_a_mapping_error()
    {
        using var dir = new ScratchDirectory();
        var path = dir.File("empty.safetensors");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<ModelFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("empty.safetensors: header length at offset 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_tensor_is_named()
    {
        using var file = SafetensorsFile.Parse(SafetensorsTestFiles.Build("{}", 0), "x.safetensors");
        var e = Assert.Throws<ModelFormatException>(() => file.Get("lm_head.weight"));
        Assert.Equal("x.safetensors: tensor \"lm_head.weight\": not in this file", e.Message);
    }
}
