using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Tests.Formats.Gguf;

public sealed class GgufValueTests
{
    [Fact]
    public void Integer_accessors_accept_any_integer_type_that_fits()
    {
        Assert.Equal(200UL, GgufValue.From((byte)200).AsUInt64());
        Assert.Equal(-3L, GgufValue.From((short)-3).AsInt64());
        Assert.Equal(7, GgufValue.From(7UL).AsInt32());
        Assert.Equal(5.0, GgufValue.From(5u).AsDouble());
        Assert.Equal(0.5f, GgufValue.From(0.5).AsFloat());
        Assert.Throws<ModelFormatException>(() => GgufValue.From(-1).AsUInt64());
        Assert.Throws<ModelFormatException>(() => GgufValue.From(1L << 40).AsInt32());
        Assert.Throws<ModelFormatException>(() => GgufValue.From(1.5f).AsInt64());
        Assert.Throws<ModelFormatException>(() => GgufValue.From("7").AsUInt32());
    }

    [Fact]
    public void Arrays_are_typed_copied_and_narrowed_with_checks()
    {
        var ints = new[] { 1, 2 };
        var value = GgufValue.FromArray(ints);
        ints[0] = 99; // the value took a copy
        Assert.Equal([1, 2], value.AsInt32Array());
        Assert.Equal((GgufValueType.Array, GgufValueType.Int32, 2), (value.Type, value.ElementType, value.ArrayLength));
        Assert.Equal("[Int32 x 2]", value.ToString());
        Assert.Equal([1, 2], GgufValue.FromArray(new ulong[] { 1, 2 }).AsInt32Array());
        Assert.Equal([0.5f], GgufValue.FromArray(new[] { 0.5 }).AsFloatArray());
        var e = Assert.Throws<ModelFormatException>(() => GgufValue.FromArray(new[] { uint.MaxValue }).AsInt32Array());
        Assert.Contains("element 0 is 4294967295", e.Message, StringComparison.Ordinal);
        Assert.Equal([GgufValue.From(1).Value, GgufValue.From(2).Value], value.AsValueArray().Select(v => v.Value));
        Assert.Throws<ModelFormatException>(() => GgufValue.From(3).AsValueArray());
        Assert.Throws<ArgumentException>(() => GgufValue.FromArray(new string[] { null! }));
        Assert.Throws<ArgumentException>(() => GgufValue.FromArray([GgufValue.From(1)]));
    }

    [Fact]
    public void Values_read_from_a_file_name_the_key_file_and_offset_when_the_type_is_wrong()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.name", "x");
        using var gguf = GgufFile.Parse(writer.ToArray(), "m.gguf");
        var e = Assert.Throws<ModelFormatException>(() => gguf.GetUInt32("general.name"));
        Assert.Equal("m.gguf: general.name at offset 48: is String, expected an integer", e.Message);
        Assert.Equal("x", gguf.Metadata["general.name"].ToString());
    }
}
