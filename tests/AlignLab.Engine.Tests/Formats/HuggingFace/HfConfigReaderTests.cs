using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.HuggingFace;

public class HfConfigReaderTests
{
    private const string Llama = """
        "architectures": ["LlamaForCausalLM"], "vocab_size": 1000, "hidden_size": 64, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 8, "max_position_embeddings": 4096, "rms_norm_eps": 1e-5
        """;

    private static ModelConfig Read(string body)
    {
        using var dir = new ScratchDirectory();
        return HfConfigReader.Read(dir.Write("config.json", "{" + body + "}"));
    }

    private static string Fails(string body)
    {
        using var dir = new ScratchDirectory();
        var path = dir.Write("config.json", "{" + body + "}");
        var e = Assert.Throws<ModelFormatException>(() => HfConfigReader.Read(path));
        Assert.Contains("config.json", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Reads_the_real_SmolLM2_config()
    {
        var c = HfConfigReader.Read(SharedFixtures.Require("fixtures/tokenizers/smollm2/config.json"));
        Assert.Equal(ModelArchitecture.Llama, c.Architecture);
        Assert.Equal((49152, 576, 1536, 30, 9, 3, 64), (c.VocabSize, c.HiddenSize, c.IntermediateSize, c.LayerCount, c.HeadCount, c.KvHeadCount, c.HeadDim));
        Assert.Equal(8192, c.ContextLength);
        Assert.Equal(1e-5, c.RmsNormEps);
        Assert.Equal(100000, c.RopeTheta);
        Assert.Equal(RopeScaling.None, c.RopeScaling);
        Assert.True(c.TieWordEmbeddings);
        Assert.False(c.QkvBias);
        Assert.Equal(1, c.BosTokenId);
        Assert.Equal([2], c.EosTokenIds);
        Assert.Equal("bfloat16", c.TorchDtype);
    }

    [Fact]
    public void Defaults_kv_heads_head_dim_theta_and_untied_embeddings()
    {
        var c = Read(Llama);
        Assert.Equal(8, c.KvHeadCount);
        Assert.Equal(8, c.HeadDim);
        Assert.Equal(10000, c.RopeTheta);
        Assert.False(c.TieWordEmbeddings);
        Assert.Null(c.SlidingWindow);
        Assert.Empty(c.EosTokenIds);
    }

    [Fact]
    public void Reads_llama3_rope_scaling_and_an_eos_list()
    {
        var c = Read(Llama + """
            , "rope_theta": 500000.0, "eos_token_id": [128001, 128008, 128009], "vocab_size": 128256,
            "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}
            """.Replace("\"vocab_size\": 1000, ", "", StringComparison.Ordinal));
        Assert.Equal(new RopeScaling(RopeScalingKind.Llama3, 8, 1, 4, 8192), c.RopeScaling);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(500000, c.RopeTheta);
    }

    [Fact]
    public void Reads_linear_rope_scaling_under_the_old_type_key()
        => Assert.Equal(new RopeScaling(RopeScalingKind.Linear, Factor: 2), Read(Llama + """, "rope_scaling": {"type": "linear", "factor": 2}""").RopeScaling);

    [Fact]
    public void Llama_attention_bias_gives_qkv_and_output_biases()
    {
        var c = Read(Llama + """, "attention_bias": true""");
        Assert.True(c.QkvBias);
        Assert.True(c.OutputProjectionBias);
    }

    [Fact]
    public void Mistral_records_its_sliding_window()
    {
        var c = Read(Llama.Replace("LlamaForCausalLM", "MistralForCausalLM", StringComparison.Ordinal) + """, "sliding_window": 4096, "num_key_value_heads": 2""");
        Assert.Equal(ModelArchitecture.Mistral, c.Architecture);
        Assert.Equal(4096, c.SlidingWindow);
        Assert.Equal(2, c.KvHeadCount);
    }

    [Fact]
    public void Qwen2_always_has_qkv_biases_but_no_output_bias_and_ignores_its_sliding_window()
    {
        var c = Read(Llama.Replace("LlamaForCausalLM", "Qwen2ForCausalLM", StringComparison.Ordinal) + """, "sliding_window": 32768, "use_sliding_window": false""");
        Assert.Equal(ModelArchitecture.Qwen2, c.Architecture);
        Assert.True(c.QkvBias);
        Assert.False(c.OutputProjectionBias);
        Assert.Null(c.SlidingWindow);
    }

    [Fact]
    public void Qwen3_takes_an_explicit_head_dim_that_need_not_divide_hidden()
    {
        var c = Read(Llama.Replace("LlamaForCausalLM", "Qwen3ForCausalLM", StringComparison.Ordinal) + """, "head_dim": 16, "num_key_value_heads": 4""");
        Assert.Equal(ModelArchitecture.Qwen3, c.Architecture);
        Assert.Equal(16, c.HeadDim);
        Assert.Equal(128, c.QueryWidth);
        Assert.Equal(64, c.KvWidth);
        Assert.True(c.Spec.HasQkNorm);
    }

    [Theory]
    [InlineData("\"architectures\": [\"GPT2LMHeadModel\"]", "architectures: unsupported architecture \"GPT2LMHeadModel\"")]
    [InlineData("\"num_key_value_heads\": 3", "num_key_value_heads: 3 key/value heads do not divide 8 attention heads")]
    [InlineData("\"num_attention_heads\": 7", "num_attention_heads: 7 heads do not divide hidden_size 64")]
    [InlineData("\"num_hidden_layers\": 0", "num_hidden_layers: must be positive, found 0")]
    [InlineData("\"intermediate_size\": -5", "intermediate_size: must be positive")]
    [InlineData("\"hidden_size\": \"64\"", "hidden_size: expected an integer, found the string \"64\"")]
    [InlineData("\"vocab_size\": 1.5", "vocab_size: expected an integer in the 32-bit range, found 1.5")]
    [InlineData("\"tie_word_embeddings\": 1", "tie_word_embeddings: expected true or false, found 1")]
    [InlineData("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}", "rope_scaling.rope_type: unsupported RoPE scaling \"yarn\"")]
    [InlineData("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8}", "rope_scaling.low_freq_factor: missing")]
    [InlineData("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 0}", "rope_scaling.factor: must be positive")]
    [InlineData("\"eos_token_id\": [2, \"x\"]", "eos_token_id[1]: expected an integer")]
    [InlineData("\"eos_token_id\": 5000", "eos_token_id: token id 5000 is outside the vocabulary of 1000")]
    [InlineData("\"rms_norm_eps\": 0", "rms_norm_eps: must be positive")]
    [InlineData("\"head_dim\": 7", "head_dim: RoPE needs an even head dimension")]
    public void Rejects_bad_fields_naming_the_field(string overrideField, string expected)
    {
        var field = overrideField[..overrideField.IndexOf(':', StringComparison.Ordinal)];
        var body = string.Join(",", Llama.Split(',').Where(p => !p.Contains(field, StringComparison.Ordinal)).Append(overrideField));
        Assert.Contains(expected, Fails(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_architectures_and_required_sizes_are_named()
    {
        Assert.Contains("architectures: missing", Fails("\"hidden_size\": 64"), StringComparison.Ordinal);
        Assert.Contains("vocab_size: missing", Fails(Llama.Replace("\"vocab_size\": 1000,", "", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_one_line_with_a_position()
        => Assert.Contains("config.json: invalid JSON at line 1, byte ", Fails("\"a\": }"), StringComparison.Ordinal);
}
