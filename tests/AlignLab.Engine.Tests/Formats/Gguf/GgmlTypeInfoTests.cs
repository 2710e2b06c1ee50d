using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Tests.Formats.Gguf;

public sealed class GgmlTypeInfoTests
{
    [Theory]
    [InlineData(GgmlType.F32, 0u, 1, 4, "f32")]
    [InlineData(GgmlType.F16, 1u, 1, 2, "f16")]
    [InlineData(GgmlType.Q4_0, 2u, 32, 18, "q4_0")]
    [InlineData(GgmlType.Q4_1, 3u, 32, 20, "q4_1")]
    [InlineData(GgmlType.Q5_0, 6u, 32, 22, "q5_0")]
    [InlineData(GgmlType.Q5_1, 7u, 32, 24, "q5_1")]
    [InlineData(GgmlType.Q8_0, 8u, 32, 34, "q8_0")]
    [InlineData(GgmlType.Q8_1, 9u, 32, 36, "q8_1")]
    [InlineData(GgmlType.Q2_K, 10u, 256, 84, "q2_K")]
    [InlineData(GgmlType.Q3_K, 11u, 256, 110, "q3_K")]
    [InlineData(GgmlType.Q4_K, 12u, 256, 144, "q4_K")]
    [InlineData(GgmlType.Q5_K, 13u, 256, 176, "q5_K")]
    [InlineData(GgmlType.Q6_K, 14u, 256, 210, "q6_K")]
    [InlineData(GgmlType.Q8_K, 15u, 256, 292, "q8_K")]
    [InlineData(GgmlType.IQ2_XXS, 16u, 256, 66, "iq2_xxs")]
    [InlineData(GgmlType.IQ2_XS, 17u, 256, 74, "iq2_xs")]
    [InlineData(GgmlType.IQ3_XXS, 18u, 256, 98, "iq3_xxs")]
    [InlineData(GgmlType.IQ1_S, 19u, 256, 50, "iq1_s")]
    [InlineData(GgmlType.IQ4_NL, 20u, 32, 18, "iq4_nl")]
    [InlineData(GgmlType.IQ3_S, 21u, 256, 110, "iq3_s")]
    [InlineData(GgmlType.IQ2_S, 22u, 256, 82, "iq2_s")]
    [InlineData(GgmlType.IQ4_XS, 23u, 256, 136, "iq4_xs")]
    [InlineData(GgmlType.I8, 24u, 1, 1, "i8")]
    [InlineData(GgmlType.I64, 27u, 1, 8, "i64")]
    [InlineData(GgmlType.F64, 28u, 1, 8, "f64")]
    [InlineData(GgmlType.IQ1_M, 29u, 256, 56, "iq1_m")]
    [InlineData(GgmlType.BF16, 30u, 1, 2, "bf16")]
    [InlineData(GgmlType.TQ1_0, 34u, 256, 54, "tq1_0")]
    [InlineData(GgmlType.TQ2_0, 35u, 256, 66, "tq2_0")]
    [InlineData(GgmlType.MXFP4, 39u, 32, 17, "mxfp4")]
    [InlineData(GgmlType.NVFP4, 40u, 64, 36, "nvfp4")]
    [InlineData(GgmlType.Q1_0, 41u, 128, 18, "q1_0")]
    [InlineData(GgmlType.Q2_0, 42u, 64, 18, "q2_0")]
    public void Ids_block_sizes_and_names_match_llama_cpp(GgmlType type, uint id, int blockSize, int bytesPerBlock, string name)
    {
        var info = GgmlTypeInfo.Get(type);
        Assert.Equal(id, (uint)type);
        Assert.Equal((type, blockSize, bytesPerBlock, name), (info.Type, info.BlockSize, info.BytesPerBlock, info.Name));
        Assert.False(info.IsRemoved);
    }

    [Fact]
    public void The_table_has_one_row_per_id_in_order_and_marks_retired_ids()
    {
        Assert.Equal(Enum.GetValues<GgmlType>(), GgmlTypeInfo.All.Select(i => i.Type));
        for (var id = 0; id < GgmlTypeInfo.All.Count; id++)
        {
            Assert.Equal((uint)id, (uint)GgmlTypeInfo.All[id].Type);
        }
        Assert.Equal([4u, 5u, 31u, 32u, 33u, 36u, 37u, 38u], GgmlTypeInfo.All.Where(i => i.IsRemoved).Select(i => (uint)i.Type));
        Assert.False(GgmlTypeInfo.TryGet(43, out _));
        Assert.False(GgmlTypeInfo.TryGet(uint.MaxValue, out _));
        Assert.Equal(
            [GgmlType.F32, GgmlType.F16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
             GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.BF16],
            GgmlTypeInfo.All.Where(i => i.IsSupported).Select(i => i.Type));
    }

    [Fact]
    public void Row_byte_size_is_checked()
    {
        Assert.Equal(144 * 16, GgmlTypeInfo.Get(GgmlType.Q4_K).RowByteSize(4096));
        Assert.Equal(34L * (1L << 40), GgmlTypeInfo.Get(GgmlType.Q8_0).RowByteSize(32L << 40));
        Assert.Throws<ArgumentException>(() => GgmlTypeInfo.Get(GgmlType.Q4_K).RowByteSize(100));
        Assert.Throws<ArgumentException>(() => GgmlTypeInfo.Get(GgmlType.F32).RowByteSize(-1));
        Assert.Throws<OverflowException>(() => GgmlTypeInfo.Get(GgmlType.F32).RowByteSize(long.MaxValue));
        Assert.Throws<NotSupportedException>(() => GgmlTypeInfo.Get(GgmlType.Q4_0_4_4).RowByteSize(32));
        Assert.False(GgmlTypeInfo.Get(GgmlType.F64).TryGetByteSize(long.MaxValue / 4, out _));
        Assert.True(GgmlTypeInfo.Get(GgmlType.Q6_K).TryGetByteSize(512, out var bytes) && bytes == 420);
    }
}
