using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Inference.Fidelity;

namespace AlignLab.Engine.Tests.Inference;

public class HiddenStateTests
{
    private static float[] Weight(RandomCheckpoint checkpoint, TensorRole role) => checkpoint.Weights.Single(w => w.Key.Role == role).Value;

    [Fact]
    public void Layer_zero_is_the_token_embeddings()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        using var model = TestModels.Load(checkpoint);
        using var session = model.CreateSession(new SessionOptions { ContextSize = 32 });
        int[] tokens = [5, 0, 17, 5];
        var hidden = model.Config.HiddenSize;
        var states = session.HiddenStates(tokens, 0);
        var embedding = Weight(checkpoint, TensorRole.TokenEmbedding);
        for (var p = 0; p < tokens.Length; p++)
        {
            Assert.Equal(embedding.AsSpan(tokens[p] * hidden, hidden).ToArray(), states.AsSpan(p * hidden, hidden).ToArray());
        }
    }

    [Fact]
    public void The_last_layer_gives_the_models_logits_through_the_final_norm_and_output_head()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        using var model = TestModels.Load(checkpoint);
        using var session = model.CreateSession(new SessionOptions { ContextSize = 32 });
        var tokens = TestModels.Tokens(9, model.VocabSize);
        var (hidden, vocab) = (model.Config.HiddenSize, model.VocabSize);
        var last = session.HiddenStates(tokens, model.Config.LayerCount).AsSpan((tokens.Length - 1) * hidden, hidden).ToArray();
        var logits = session.Prefill(tokens).ToArray();

        var rms = Math.Sqrt(last.Sum(v => (double)v * v) / hidden + model.Config.RmsNormEps);
        var norm = Weight(checkpoint, TensorRole.OutputNorm);
        var output = checkpoint.Weights.Any(w => w.Key.Role == TensorRole.Output) ? Weight(checkpoint, TensorRole.Output) : Weight(checkpoint, TensorRole.TokenEmbedding);
        for (var v = 0; v < vocab; v++)
        {
            var expected = 0.0;
            for (var i = 0; i < hidden; i++)
            {
                expected += last[i] / rms * norm[i] * output[v * hidden + i];
            }
            Assert.Equal(expected, logits[v], 2e-3);
        }
    }

    [Fact]
    public void Each_position_sees_only_its_prefix_and_the_batch_size_does_not_matter()
    {
        using var model = TestModels.Load(TestModels.Config());
        using var whole = model.CreateSession(new SessionOptions { ContextSize = 32 });
        using var small = model.CreateSession(new SessionOptions { ContextSize = 32, BatchSize = 3 });
        var tokens = TestModels.Tokens(8, model.VocabSize);
        var hidden = model.Config.HiddenSize;
        var states = whole.HiddenStates(tokens, 1);
        Assert.Equal(states, small.HiddenStates(tokens, 1), (a, b) => Math.Abs(a - b) < 1e-5f);
        for (var p = 0; p < tokens.Length; p++)
        {
            var prefix = whole.HiddenStates(tokens.AsSpan(0, p + 1), 1);
            AssertClose(prefix.AsSpan(p * hidden, hidden), states.AsSpan(p * hidden, hidden));
        }
    }

    [Fact]
    public void Pooling_is_the_mean_of_the_positions_or_the_last_one()
    {
        using var model = TestModels.Load(TestModels.Config());
        using var session = model.CreateSession(new SessionOptions { ContextSize = 32 });
        var tokens = TestModels.Tokens(6, model.VocabSize);
        var hidden = model.Config.HiddenSize;
        // Each position's state computed on its own, from its prefix.
        var positions = Enumerable.Range(1, tokens.Length)
            .Select(n => session.HiddenStates(tokens.AsSpan(0, n), 2).AsSpan((n - 1) * hidden, hidden).ToArray()).ToList();
        var mean = Enumerable.Range(0, hidden).Select(i => (float)positions.Average(s => (double)s[i])).ToArray();

        AssertClose(mean, session.PooledHiddenState(tokens, 2, HiddenPooling.Mean));
        AssertClose(positions[^1], session.PooledHiddenState(tokens, 2, HiddenPooling.Last));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void A_layer_outside_the_model_is_refused_naming_the_range(int layer)
    {
        using var model = TestModels.Load(TestModels.Config(layers: 2));
        using var session = model.CreateSession(new SessionOptions { ContextSize = 32 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => session.HiddenStates([1, 2], layer));
        Assert.StartsWith($"layer {layer} is not within 0 (the embeddings) to the model's 2 layers", error.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
