using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Models;

public class GgufModelConfigTests
{
    /// <summary>A SmolLM2-like llama header; <paramref name="overrides"/> replace or add keys.</summary>
    private static GgufWriter Llama(Dictionary<string, GgufValue>? overrides = null, bool withOutput = true, bool withRopeFreqs = false)
    {
        var keys = new Dictionary<string, GgufValue>
        {
            ["general.architecture"] = GgufValue.From("llama"),
            ["llama.context_length"] = GgufValue.From(8192u),
            ["llama.embedding_length"] = GgufValue.From(576u),
            ["llama.block_count"] = GgufValue.From(30u),
            ["llama.feed_forward_length"] = GgufValue.From(1536u),
            ["llama.attention.head_count"] = GgufValue.From(9u),
            ["llama.attention.head_count_kv"] = GgufValue.From(3u),
            ["llama.attention.layer_norm_rms_epsilon"] = GgufValue.From(1e-5f),
            ["llama.rope.freq_base"] = GgufValue.From(100000f),
            ["tokenizer.ggml.tokens"] = GgufValue.FromArray(Enumerable.Range(0, 100).Select(i => $"t{i}").ToArray()),
            ["tokenizer.ggml.bos_token_id"] = GgufValue.From(1u),
            ["tokenizer.ggml.eos_token_id"] = GgufValue.From(2u),
        };
        foreach (var (key, value) in overrides ?? [])
        {
            keys[key] = value;
        }
        var w = new GgufWriter();
        foreach (var (key, value) in keys)
        {
            w.AddMetadata(key, value);
        }
        if (withOutput)
        {
            w.AddTensor("output.weight", [32], new float[32]);
        }
        if (withRopeFreqs)
        {
            w.AddTensor("rope_freqs.weight", [32], new float[32]);
        }
        return w;
    }

    private static ModelConfig Read(GgufWriter w)
    {
        using var file = GgufFile.Parse(w.ToArray(), "m.gguf");
        return GgufModelConfig.Read(file);
    }

    [Fact]
    public void Reads_the_llama_keys_and_derives_vocab_and_head_dim()
    {
        var c = Read(Llama());
        Assert.Equal(ModelArchitecture.Llama, c.Architecture);
        Assert.Equal((100, 576, 1536, 30, 9, 3, 64, 8192), (c.VocabSize, c.HiddenSize, c.IntermediateSize, c.LayerCount, c.HeadCount, c.KvHeadCount, c.HeadDim, c.ContextLength));
        Assert.Equal(100000, c.RopeTheta);
        Assert.Equal(1, c.BosTokenId);
        Assert.Equal([2], c.EosTokenIds);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(RopeScaling.None, c.RopeScaling);
    }

    [Fact]
    public void Missing_output_means_tied_and_rope_freqs_means_frequency_factors()
    {
        var c = Read(Llama(withOutput: false, withRopeFreqs: true));
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal(RopeScalingKind.FrequencyFactors, c.RopeScaling.Kind);
    }

    [Fact]
    public void Reads_linear_scaling_and_explicit_key_length()
    {
        var c = Read(Llama(new()
        {
            ["llama.rope.scaling.type"] = GgufValue.From("linear"),
            ["llama.rope.scaling.factor"] = GgufValue.From(4f),
            ["llama.attention.key_length"] = GgufValue.From(128u),
        }));
        Assert.Equal(new RopeScaling(RopeScalingKind.Linear, Factor: 4), c.RopeScaling);
        Assert.Equal(128, c.HeadDim);
    }

    [Theory]
    [InlineData("llama.rope.scaling.type", "yarn", "llama.rope.scaling.type: unsupported RoPE scaling \"yarn\" (supported: none, linear)")]
    [InlineData("general.architecture", "gpt2", "general.architecture: unsupported architecture \"gpt2\" (supported: llama, qwen2, qwen3)")]
    public void Unsupported_values_are_named(string key, string value, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => Read(Llama(new() { [key] = GgufValue.From(value) })));
        Assert.Equal("m.gguf: " + expected, e.Message);
    }

    [Theory]
    [InlineData("llama.attention.head_count_kv", 4u, "llama.attention.head_count_kv: 4 key/value heads do not divide 9 attention heads")]
    [InlineData("llama.block_count", 0u, "llama.block_count: must be positive, found 0")]
    [InlineData("llama.attention.head_count", 7u, "llama.attention.head_count: 7 heads do not divide llama.embedding_length 576")]
    [InlineData("tokenizer.ggml.eos_token_id", 100u, "tokenizer.ggml.eos_token_id: token id 100 is outside the vocabulary of 100")]
    public void Invalid_values_name_the_gguf_key(string key, uint value, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => Read(Llama(new() { [key] = GgufValue.From(value) })));
        Assert.Equal("m.gguf: " + expected, e.Message);
    }

    [Fact]
    public void A_missing_required_key_is_named()
    {
        var w = new GgufWriter();
        w.AddMetadata("general.architecture", "qwen2");
        var e = Assert.Throws<ModelFormatException>(() => Read(w));
        Assert.Contains("qwen2.embedding_length", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Written_hyperparameters_read_back_the_same(bool linearScaling)
    {
        var written = Read(Llama(linearScaling ? new() { ["llama.rope.scaling.type"] = GgufValue.From("linear"), ["llama.rope.scaling.factor"] = GgufValue.From(4f) } : null));
        var w = new GgufWriter();
        GgufModelConfig.Write(w, written);
        w.AddMetadata("tokenizer.ggml.bos_token_id", 1u);
        w.AddMetadata("tokenizer.ggml.eos_token_id", 2u);
        w.AddTensor("output.weight", [32], new float[32]);
        var read = Read(w);
        Assert.Equal(written.EosTokenIds, read.EosTokenIds);
        IReadOnlyList<int> same = [];   // the lists compare by reference in the record's equality
        Assert.Equal(written with { EosTokenIds = same }, read with { EosTokenIds = same });
    }
}
