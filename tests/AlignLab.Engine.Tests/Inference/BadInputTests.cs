using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Inference;

/// <summary>Every way in which a model or its input can be wrong ends in one clear line.</summary>
public class BadInputTests
{
    private static void OneLine(Exception e) => Assert.DoesNotContain('\n', e.Message);

    [Fact]
    public void Unsupported_architecture_is_a_format_error()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "gpt2");
        writer.AddMetadata("tokenizer.ggml.tokens", new[] { "a", "b" });
        var e = Assert.Throws<ModelFormatException>(() => LlamaModel.FromGguf(GgufFile.Parse(writer.ToArray(), "gpt2.gguf")));
        Assert.Contains("gpt2.gguf: general.architecture: unsupported architecture \"gpt2\"", e.Message);
        OneLine(e);
    }

    [Fact]
    public void Unsupported_tensor_type_is_a_format_error_naming_the_tensor()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        var bytes = TestModels.Gguf(checkpoint, typeOverrides: new Dictionary<TensorRole, GgmlType> { [TensorRole.FeedForwardUp] = GgmlType.IQ4_NL });
        var e = Assert.Throws<ModelFormatException>(() => LlamaModel.FromGguf(GgufFile.Parse(bytes, "m.gguf")));
        Assert.Equal("m.gguf: tensor \"blk.0.ffn_up.weight\": type iq4_nl is not supported", e.Message);
    }

    [Fact]
    public void Missing_tensor_is_a_format_error_naming_it()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        var bytes = TestModels.Gguf(checkpoint, omit: new HashSet<TensorRole> { TensorRole.AttentionValue });
        var e = Assert.Throws<ModelFormatException>(() => LlamaModel.FromGguf(GgufFile.Parse(bytes, "m.gguf")));
        Assert.Equal("m.gguf: tensor \"blk.0.attn_v.weight\": missing", e.Message);
    }

    [Fact]
    public void Folder_without_weights_is_a_format_error()
    {
        using var dir = new ScratchDirectory();
        TestModels.Checkpoint(TestModels.Config()).WriteHfFolder(dir.File("hf"));
        File.Delete(dir.File("hf/model.safetensors"));
        var e = Assert.Throws<ModelFormatException>(() => LlamaModel.Load(dir.File("hf")));
        Assert.Contains("model.safetensors: missing", e.Message);
    }

    [Fact]
    public void Sequence_longer_than_the_context_is_refused()
    {
        using var model = TestModels.Load(TestModels.Config()); // context 128
        var tokens = TestModels.Tokens(129, model.VocabSize);
        var e = Assert.Throws<ArgumentException>(() => model.Score(tokens));
        Assert.StartsWith("129 tokens exceed the model's context length of 128", e.Message);
        OneLine(e);
        using var session = model.CreateSession(new SessionOptions { ContextSize = 16 });
        session.Prefill(tokens.AsSpan(0, 16));
        var full = Assert.Throws<ArgumentException>(() => session.Step(tokens[16]));
        Assert.StartsWith("17 tokens exceed the session's context of 16 (the model's is 128)", full.Message);
        Assert.Equal(16, session.Position);
        OneLine(Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateSession(new SessionOptions { ContextSize = 129 })));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(96)]
    public void Token_id_outside_the_vocabulary_is_refused(int id)
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(10, model.VocabSize);
        tokens[4] = id;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(tokens));
        Assert.StartsWith($"token id {id} at index 4 is outside the vocabulary of 96", e.Message);
        OneLine(e);
        using var session = model.CreateSession();
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Step(id));
    }

    [Fact]
    public void Bad_score_arguments_are_refused()
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(10, model.VocabSize);
        Assert.Throws<ArgumentException>(() => model.Score([]));
        OneLine(Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(tokens, start: 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(tokens, start: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(tokens, 0, new ScoreOptions { TopK = 97 }));
        var e = Assert.Throws<InvalidOperationException>(() => model.Score(tokens).LogProbs(0).ToArray());
        Assert.Contains("KeepLogProbs", e.Message);
    }

    [Theory]
    [InlineData(TensorRole.FeedForwardDown, 1, float.NaN, "layer 1 (feed-forward) at position 0")]
    [InlineData(TensorRole.AttentionOutput, 0, float.PositiveInfinity, "layer 0 (attention) at position 0")]
    [InlineData(TensorRole.Output, -1, float.NaN, "output head at position 0")]
    public void Nan_or_infinity_in_the_activations_names_the_layer(TensorRole role, int layer, float bad, string where)
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        checkpoint.Weights[(role, layer)][0] = bad;
        using var model = TestModels.Load(checkpoint);
        var e = Assert.Throws<InferenceException>(() => model.Score(TestModels.Tokens(8, model.VocabSize)));
        Assert.Equal($"NaN or infinity in the activations after {where}", e.Message);
    }

    [Fact]
    public void Nan_reaching_only_a_later_position_names_that_position()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        var tokens = TestModels.Tokens(8, checkpoint.Config.VocabSize);
        var hidden = checkpoint.Config.HiddenSize;
        // One token's embedding row: the positions before it never see it (causal attention).
        var token = tokens[5];
        Assert.DoesNotContain(token, tokens.Take(5));
        checkpoint.Weights[(TensorRole.TokenEmbedding, -1)][(token * hidden) + 3] = float.NaN;
        using var model = TestModels.Load(checkpoint);
        var e = Assert.Throws<InferenceException>(() => model.Score(tokens));
        Assert.Equal("NaN or infinity in the activations after layer 0 (attention) at position 5", e.Message);
    }
}
