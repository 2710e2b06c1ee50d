using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Tests.Formats.Gguf;

/// <summary>
/// Each malformed file fails with a one-line <see cref="ModelFormatException"/> naming the field and
/// its byte offset ("FILE: FIELD at offset N: PROBLEM"), never with another exception or a huge allocation.
/// </summary>
public sealed class GgufHostileFileTests
{
    private const string Name = "hostile.gguf";

    private static string Rejected(byte[] bytes, string fieldAndOffset, string problem)
    {
        var e = Assert.Throws<ModelFormatException>(() => GgufFile.Parse(bytes, Name).Dispose());
        Assert.StartsWith($"{Name}: {fieldAndOffset}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    // Header is 24 bytes: magic, version, tensor count, kv count. The first key's length is at 24.
    private static GgufBytes OneKv(ulong tensors = 0) => GgufBytes.Header(tensors: tensors, kvs: 1);

    [Fact]
    public void Truncated_header_names_the_field_that_ran_out()
    {
        var full = GgufBytes.Header(kvs: 1).KvString("general.name", "x").ToArray();
        Rejected([], "magic at offset 0", "needs 4 bytes but the file ends after 0");
        Rejected(full[..6], "version at offset 4", "needs 4 bytes");
        Rejected(full[..10], "tensor_count at offset 8", "needs 8 bytes but the file ends after 2");
        Rejected(full[..24], "metadata_kv_count at offset 16", "count 1 needs at least 13 bytes each but only 0 bytes are left");
        Rejected(full[..40], "metadata[0].key at offset 24", "string length 12 exceeds the 8 bytes left");
        Rejected(full[..^1], "general.name at offset 48", "string length 1 exceeds the 0 bytes left");
        for (var cut = 0; cut < full.Length; cut++)
        {
            Assert.Throws<ModelFormatException>(() => GgufFile.Parse(full[..cut], Name));
        }
    }

    [Fact]
    public void Wrong_magic_and_versions_are_explained()
    {
        Rejected("GGML\x03\0\0\0"u8.ToArray(), "magic at offset 0", "not a GGUF file");
        Rejected(GgufBytes.Header(version: 1).ToArray(), "version at offset 4", "GGUF v1 is not supported");
        Rejected(GgufBytes.Header(version: 0x03000000).ToArray(), "version at offset 4", "big-endian");
        Rejected(GgufBytes.Header(version: 4).ToArray(), "version at offset 4", "unsupported GGUF version 4");
        Assert.Equal(2u, GgufFile.Parse(GgufBytes.Header(version: 2).ToArray()).Version);
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 31)]
    [InlineData(uint.MaxValue)]
    [InlineData(1000UL)]
    public void Absurd_counts_are_bounded_by_the_bytes_left_before_allocating(ulong count)
    {
        Rejected(GgufBytes.Header(tensors: count).ToArray(), "tensor_count at offset 8", $"count {count} needs at least 32 bytes each but only 8 bytes are left");
        Rejected(GgufBytes.Header(kvs: count).ToArray(), "metadata_kv_count at offset 16", $"count {count} needs at least 13 bytes each");
        var array = OneKv().Str("tokens").U32((uint)GgufValueType.Array).U32((uint)GgufValueType.String).U64(count).ToArray();
        Rejected(array, "tokens at offset 46", $"array of {count} String needs at least 8 bytes each but only 0 bytes are left");
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 31)]
    [InlineData(uint.MaxValue)]
    public void Absurd_string_lengths_are_bounded_by_the_bytes_left(ulong length)
    {
        Rejected(OneKv().U64(length).Raw(new byte[16]).ToArray(), "metadata[0].key at offset 24", $"string length {length} exceeds the 16 bytes left");
        var tensorName = GgufBytes.Header(tensors: 1).U64(length).Raw(new byte[40]).ToArray();
        Rejected(tensorName, "tensor[0].name at offset 24", $"string length {length} exceeds the 40 bytes left");
    }

    [Fact]
    public void Unknown_value_types_and_bad_bools_are_rejected()
    {
        Rejected(OneKv().Str("k").U32(13).U32(0).ToArray(), "k at offset 33", "unknown value type 13");
        Rejected(OneKv().Str("k").U32(9).U32(77).U64(0).ToArray(), "k at offset 37", "unknown array element type 77");
        Rejected(OneKv().Str("k").U32(7).U8(2).ToArray(), "k at offset 37", "bool byte is 2, expected 0 or 1");
        Rejected(OneKv().Str("k").U32(9).U32(7).U64(3).U8(1).U8(0).U8(9).ToArray(), "k[2] at offset 51", "bool byte is 9");
    }

    [Fact]
    public void Arrays_nested_too_deep_are_rejected()
    {
        var bytes = OneKv().Str("deep").U32((uint)GgufValueType.Array);
        for (var depth = 0; depth < 10; depth++)
        {
            bytes.U32((uint)GgufValueType.Array).U64(1);
        }
        bytes.U32((uint)GgufValueType.UInt8).U64(0);
        // Each level is 12 bytes (element type, count) from offset 40; the ninth starts at 40 + 8 * 12.
        Rejected(bytes.ToArray(), "deep[0][0][0][0][0][0][0][0] at offset 136", "arrays nested deeper than 8 levels");
    }

    [Fact]
    public void Duplicate_keys_and_tensor_names_are_rejected()
    {
        var keys = GgufBytes.Header(kvs: 2).KvU32("a.b", 1).KvU32("a.b", 2).ToArray();
        Rejected(keys, "metadata[1].key at offset 43", "duplicate metadata key 'a.b'");

        var tensors = GgufBytes.Header(tensors: 2).Tensor("w", [8], GgmlType.F32, 0).Tensor("w", [8], GgmlType.F32, 32).Data(64).ToArray();
        Rejected(tensors, "tensor[1].name at offset 57", "duplicate tensor name 'w' (also tensor[0])");
    }

    [Fact]
    public void Invalid_utf8_is_rejected_with_the_offset_of_the_bad_byte()
    {
        var key = OneKv().StrBytes([(byte)'o', (byte)'k', 0xC3, 0x28]).U32(4).U32(1).ToArray();
        Rejected(key, "metadata[0].key at offset 24", "not valid UTF-8 (byte 0xc3 at offset 34)");

        var element = OneKv().Str("tokens").U32(9).U32(8).U64(2).Str("fine").StrBytes([0xFF]).ToArray();
        Rejected(element, "tokens[1] at offset 66", "not valid UTF-8 (byte 0xff at offset 74)");

        var overlong = OneKv().StrBytes([0xC0, 0xAF]).U32(4).U32(1).ToArray(); // overlong '/'
        Rejected(overlong, "metadata[0].key at offset 24", "not valid UTF-8");
    }

    [Fact]
    public void Control_characters_from_the_file_do_not_break_the_one_line_message()
    {
        var bytes = GgufBytes.Header(kvs: 2).KvU32("evil\nkey\u2028", 1).KvU32("evil\nkey\u2028", 2).ToArray();
        var message = Rejected(bytes, "metadata[1].key at offset 51", "duplicate metadata key 'evil\\u000akey\\u2028'");
        Assert.DoesNotContain('\u2028', message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(5u)]
    [InlineData(uint.MaxValue)]
    public void N_dims_outside_1_to_4_is_rejected(uint nDims)
    {
        var bytes = GgufBytes.Header(tensors: 1).Str("t").U32(nDims).Raw(new byte[64]).ToArray();
        Rejected(bytes, "tensor[0].n_dims at offset 33", $"n_dims is {nDims}, expected 1 to 4");
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    public void Zero_or_negative_dimensions_are_rejected(ulong dim)
    {
        var bytes = GgufBytes.Header(tensors: 1).Str("t").U32(2).U64(32).U64(dim).U32(0).U64(0).Data(64).ToArray();
        Rejected(bytes, "tensor[0].ne[1] at offset 45", $"dimension {dim} is out of range");
    }

    [Fact]
    public void Element_count_and_byte_size_overflow_are_rejected()
    {
        var elements = GgufBytes.Header(tensors: 1).Tensor("t", [1L << 32, 1L << 32], GgmlType.F32, 0).Data(64).ToArray();
        Rejected(elements, "tensor[0].ne[1] at offset 45", "element count of shape [4294967296, 4294967296] overflows Int64");

        var bytes = GgufBytes.Header(tensors: 1).Tensor("t", [1L << 40, 1L << 21], GgmlType.F32, 0).Data(64).ToArray();
        Rejected(bytes, "tensor[0].type at offset 53", "elements overflow an Int64 byte size");
    }

    [Theory]
    [InlineData(99u, "unknown ggml type 99")]
    [InlineData(43u, "unknown ggml type 43")]
    [InlineData(31u, "ggml type 31 (q4_0_4x4) was removed")]
    [InlineData(4u, "ggml type 4 (q4_2) was removed")]
    public void Unknown_and_removed_tensor_types_are_rejected(uint type, string problem)
    {
        var bytes = GgufBytes.Header(tensors: 1).Tensor("t", [256], (GgmlType)type, 0).Data(1024).ToArray();
        Rejected(bytes, "tensor[0].type at offset 45", problem);
    }

    [Fact]
    public void A_known_type_without_a_dequantizer_still_parses()
    {
        var bytes = GgufBytes.Header(tensors: 1).Tensor("t", [256], GgmlType.IQ4_XS, 0).Data(136).ToArray();
        using var gguf = GgufFile.Parse(bytes);
        Assert.Equal(136, gguf.Tensors[0].ByteSize);
        Assert.False(GgmlTypeInfo.Get(gguf.Tensors[0].Type).IsSupported);
    }

    [Fact]
    public void A_row_that_is_not_a_whole_number_of_blocks_is_rejected()
    {
        var bytes = GgufBytes.Header(tensors: 1).Tensor("t", [16, 2], GgmlType.Q8_0, 0).Data(68).ToArray();
        Rejected(bytes, "tensor[0].type at offset 53", "ne[0] = 16 is not a multiple of the q8_0 block size 32");
    }

    [Fact]
    public void Misaligned_out_of_range_and_overlapping_tensor_offsets_are_rejected()
    {
        var misaligned = GgufBytes.Header(tensors: 1).Tensor("t", [4], GgmlType.F32, 4).Data(64).ToArray();
        Rejected(misaligned, "tensor[0].offset at offset 49", "data offset 4 is not a multiple of the alignment 32");

        var huge = GgufBytes.Header(tensors: 1).Tensor("t", [4], GgmlType.F32, ulong.MaxValue - 31).Data(64).ToArray();
        Rejected(huge, "tensor[0].offset at offset 49", "data offset 18446744073709551584 is out of range");

        var pastEnd = GgufBytes.Header(tensors: 1).Tensor("t", [4], GgmlType.F32, 1L << 40).Data(64).ToArray();
        Rejected(pastEnd, "tensor[0].offset at offset 49", "runs past the end of the file");

        var overlap = GgufBytes.Header(tensors: 2).Tensor("a", [16], GgmlType.F32, 0).Tensor("b", [8], GgmlType.F32, 32).Data(96).ToArray();
        Rejected(overlap, "tensor[1].offset at offset 82", "data of 'b' at 32 overlaps tensor[0] 'a' (0+64)");
    }

    [Fact]
    public void Tensor_data_cut_short_is_rejected()
    {
        var full = GgufBytes.Header(tensors: 1).Tensor("t", [16], GgmlType.F32, 0).Data(64).ToArray();
        Assert.Single(GgufFile.Parse(full).Tensors);
        Rejected(full[..^1], "tensor[0].offset at offset 49", "runs past the end of the file (127 bytes)");
        Rejected(full[..60], "tensor[0].offset at offset 49", "runs past the end of the file (60 bytes)"); // cut inside the padding
    }

    [Fact]
    public void General_alignment_must_be_a_nonzero_power_of_two_uint32()
    {
        Rejected(OneKv().KvU32("general.alignment", 0).ToArray(), "general.alignment at offset 53", "alignment 0 is not a nonzero power of two");
        Rejected(OneKv().KvU32("general.alignment", 48).ToArray(), "general.alignment at offset 53", "alignment 48");
        Rejected(OneKv().KvString("general.alignment", "32").ToArray(), "general.alignment at offset 53", "is String, expected UInt32");

        var ok = OneKv(tensors: 1).KvU32("general.alignment", 64).Tensor("t", [4], GgmlType.F32, 0).Data(16, alignment: 64).ToArray();
        using var gguf = GgufFile.Parse(ok);
        Assert.Equal(64u, gguf.Alignment);
        Assert.Equal(128, gguf.DataOffset);
    }

    [Fact]
    public void Open_reports_an_empty_file_and_a_bad_file_by_path()
    {
        var dir = Directory.CreateTempSubdirectory("alignlab-gguf-");
        try
        {
            var empty = Path.Combine(dir.FullName, "empty.gguf");
            File.WriteAllBytes(empty, []);
            var e = Assert.Throws<ModelFormatException>(() => GgufFile.Open(empty));
            Assert.Equal($"{empty}: magic at offset 0: the file is empty", e.Message);

            var bad = Path.Combine(dir.FullName, "bad.gguf");
            File.WriteAllBytes(bad, GgufBytes.Header(version: 1).ToArray());
            e = Assert.Throws<ModelFormatException>(() => GgufFile.Open(bad));
            Assert.StartsWith($"{bad}: version at offset 4: ", e.Message, StringComparison.Ordinal);
            File.Delete(bad); // the failed open released its mapping and handle
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
