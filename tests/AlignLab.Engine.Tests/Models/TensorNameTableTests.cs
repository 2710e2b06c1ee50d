using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Models;

public class TensorNameTableTests
{
    [Fact]
    public void Table_rows_are_indexed_by_role_and_every_role_has_a_row()
    {
        Assert.Equal(Enum.GetValues<TensorRole>(), TensorNameTable.Entries.Select(e => e.Role));
        Assert.Equal("blk.3.attn_q.weight", TensorNameTable.Get(TensorRole.AttentionQuery).Name(TensorNaming.Gguf, 3));
        Assert.Equal("model.layers.3.self_attn.q_proj.weight", TensorNameTable.Get(TensorRole.AttentionQuery).Name(TensorNaming.HuggingFace, 3));
        Assert.Equal("lm_head.weight", TensorNameTable.Get(TensorRole.Output).Name(TensorNaming.HuggingFace, -1));
        Assert.Null(TensorNameTable.Get(TensorRole.RopeFrequencies).Name(TensorNaming.HuggingFace, -1));
        Assert.False(TensorNameTable.Get(TensorRole.TokenEmbedding).PerLayer);
        Assert.True(TensorNameTable.Get(TensorRole.FeedForwardDown).PerLayer);
    }

    [Theory]
    [InlineData(ModelArchitecture.Llama, false, 9)]
    [InlineData(ModelArchitecture.Mistral, false, 9)]
    [InlineData(ModelArchitecture.Qwen2, true, 12)]
    [InlineData(ModelArchitecture.Qwen3, false, 11)]
    public void Expected_tensors_follow_the_architecture(ModelArchitecture arch, bool qkvBias, int perLayer)
    {
        var config = TinyModel.Llama(layers: 2) with { Architecture = arch, QkvBias = qkvBias };
        var expected = TensorNameTable.Expected(config).ToList();
        Assert.Equal(3 + (2 * perLayer), expected.Count);
        Assert.Equal(qkvBias, expected.Contains((TensorRole.AttentionKeyBias, 1)));
        Assert.Equal(arch == ModelArchitecture.Qwen3, expected.Contains((TensorRole.AttentionQueryNorm, 0)));
        Assert.DoesNotContain(expected, e => e.Role == TensorRole.RopeFrequencies);
    }

    [Fact]
    public void Tied_models_have_no_output_tensor_and_shapes_resolve_from_the_config()
    {
        var config = TinyModel.Llama(tied: true);
        Assert.DoesNotContain((TensorRole.Output, -1), TensorNameTable.Expected(config));
        Assert.Equal([16L, 32], TensorNameTable.Get(TensorRole.AttentionKey).ResolveShape(config));
        Assert.Equal([32L, 32], TensorNameTable.Get(TensorRole.AttentionOutput).ResolveShape(config));
        Assert.Equal([32L, 24], TensorNameTable.Get(TensorRole.FeedForwardDown).ResolveShape(config));
        Assert.Equal([4L], TensorNameTable.Get(TensorRole.RopeFrequencies).ResolveShape(config));
    }

    [Fact]
    public void Gguf_rope_layouts_are_llama_cpps()
    {
        Assert.Equal(RopeLayout.AdjacentPairs, ArchitectureTable.Get(ModelArchitecture.Llama).GgufRopeLayout);
        Assert.Equal(RopeLayout.AdjacentPairs, ArchitectureTable.Get(ModelArchitecture.Mistral).GgufRopeLayout);
        Assert.Equal(RopeLayout.HalfRotation, ArchitectureTable.Get(ModelArchitecture.Qwen2).GgufRopeLayout);
        Assert.Equal(RopeLayout.HalfRotation, ArchitectureTable.Get(ModelArchitecture.Qwen3).GgufRopeLayout);
        Assert.Equal(ModelArchitecture.Llama, ArchitectureTable.FromGgufName("llama")!.Architecture);
        Assert.Null(ArchitectureTable.FromHfClass("GPT2LMHeadModel"));
    }
}
