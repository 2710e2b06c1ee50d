using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Inference;

/// <summary>The decode path, batching and the Score API's statistics agree with one another.</summary>
public class InferenceSessionTests
{
    private static float MaxDelta(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }

    [Theory]
    [InlineData(ModelArchitecture.Llama)]
    [InlineData(ModelArchitecture.Qwen2)]
    [InlineData(ModelArchitecture.Qwen3)]
    public void Prefill_then_steps_give_the_logprobs_of_one_scoring_pass(ModelArchitecture arch)
    {
        using var model = TestModels.Load(TestModels.Config(arch));
        var tokens = TestModels.Tokens(40, model.VocabSize);
        var scored = model.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });

        using var session = model.CreateSession(new SessionOptions { ContextSize = 64 });
        var row = new float[model.VocabSize];
        session.Prefill(tokens.AsSpan(0, 10)).CopyTo(row);
        LogProbMath.LogSoftmax(row);
        Assert.True(MaxDelta(row, scored.LogProbs(9)) < 1e-5);
        for (var p = 10; p < tokens.Length; p++)
        {
            session.Step(tokens[p]).CopyTo(row);
            LogProbMath.LogSoftmax(row);
            Assert.True(MaxDelta(row, scored.LogProbs(p)) < 1e-5, $"position {p}");
        }
        Assert.Equal(tokens.Length, session.Position);
    }

    [Fact]
    public void Batch_size_does_not_change_the_result()
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(50, model.VocabSize);
        using var wholeSession = model.CreateSession(new SessionOptions { ContextSize = 64 });
        using var smallSession = model.CreateSession(new SessionOptions { ContextSize = 64, BatchSize = 7, LogitBatchSize = 3 });
        var whole = wholeSession.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        var small = smallSession.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        for (var p = 0; p < tokens.Length; p++)
        {
            Assert.True(MaxDelta(whole.LogProbs(p), small.LogProbs(p)) < 1e-5, $"position {p}");
        }
    }

    [Fact]
    public void Scoring_from_a_start_position_scores_only_the_later_positions_with_the_same_values()
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(30, model.VocabSize);
        var all = model.Score(tokens);
        var tail = model.Score(tokens, start: 12, new ScoreOptions { TopK = 5 });
        Assert.Equal((12, 30, 18, 5), (tail.Start, tail.End, tail.Count, tail.TopK));
        for (var p = 12; p < 30; p++)
        {
            Assert.Equal(all.TopIds(p)[..5].ToArray(), tail.TopIds(p).ToArray());
            Assert.Equal(all.NextRank(p), tail.NextRank(p));
            Assert.Equal(all.NextLogProb(p), tail.NextLogProb(p), 1e-6);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => tail.NextRank(11));
    }

    [Fact]
    public void Statistics_agree_with_the_full_row()
    {
        using var model = TestModels.Load(TestModels.Config(ModelArchitecture.Qwen3));
        var tokens = TestModels.Tokens(20, model.VocabSize);
        var seen = new List<int>();
        var result = model.Score(tokens, 3, new ScoreOptions { KeepLogProbs = true, OnLogProbs = (p, _) => seen.Add(p) });
        Assert.Equal(Enumerable.Range(3, 17), seen);
        for (var p = 3; p < tokens.Length; p++)
        {
            var row = result.LogProbs(p).ToArray();
            Assert.Equal(1.0, row.Sum(lp => Math.Exp(lp)), 1e-5);
            var order = Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(10).ToArray();
            Assert.Equal(order, result.TopIds(p).ToArray());
            Assert.Equal(order.Select(i => row[i]).ToArray(), result.TopLogProbs(p).ToArray());
            Assert.Equal(-row.Sum(lp => Math.Exp(lp) * lp), result.Entropy(p), 1e-6);
            if (p + 1 < tokens.Length)
            {
                var next = tokens[p + 1];
                Assert.Equal(next, result.NextToken(p));
                Assert.Equal(row[next], result.NextLogProb(p));
                Assert.Equal(1 + row.Count(lp => lp > row[next]), result.NextRank(p));
            }
            else
            {
                Assert.Equal((-1, 0), (result.NextToken(p), result.NextRank(p)));
                Assert.True(float.IsNaN(result.NextLogProb(p)));
            }
        }
    }

    [Fact]
    public void Exact_kl_between_two_models_from_kept_rows_and_the_callback()
    {
        var config = TestModels.Config();
        using var a = TestModels.Load(TestModels.Checkpoint(config, seed: 1));
        using var b = TestModels.Load(TestModels.Checkpoint(config, seed: 2));
        var tokens = TestModels.Tokens(16, config.VocabSize);
        var kept = a.Score(tokens, 4, new ScoreOptions { KeepLogProbs = true });
        var kl = new double[tokens.Length];
        b.Score(tokens, 4, new ScoreOptions { OnLogProbs = (p, row) => kl[p] = LogProbMath.KlDivergence(kept.LogProbs(p), row) });
        Assert.All(kl.Skip(4), v => Assert.True(v > 0));
        Assert.Equal(0, LogProbMath.KlDivergence(kept.LogProbs(5), kept.LogProbs(5)), 12);
    }

    [Fact]
    public void F16_cache_stays_close_to_f32()
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(40, model.VocabSize);
        var f32 = model.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        var f16 = model.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true }, KvCacheType.F16);
        for (var p = 0; p < tokens.Length; p++)
        {
            Assert.True(MaxDelta(f32.LogProbs(p), f16.LogProbs(p)) < 1e-2, $"position {p}");
        }
    }

    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_0)]
    public void Decode_steps_without_quantized_activations_give_the_logprobs_of_one_scoring_pass(GgmlType type)
    {
        using var model = TestModels.Load(TestModels.Checkpoint(TestModels.Config()), type);
        var tokens = TestModels.Tokens(24, model.VocabSize);
        var scored = model.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        double MaxStepDelta(bool quantize)
        {
            using var session = model.CreateSession(new SessionOptions { ContextSize = 32, QuantizeDecodeActivations = quantize });
            var row = new float[model.VocabSize];
            session.Prefill(tokens.AsSpan(0, 8));
            var worst = 0.0;
            for (var p = 8; p < tokens.Length; p++)
            {
                session.Step(tokens[p]).CopyTo(row);
                LogProbMath.LogSoftmax(row);
                worst = Math.Max(worst, MaxDelta(row, scored.LogProbs(p)));
            }
            return worst;
        }
        var floatSteps = MaxStepDelta(quantize: false);
        Assert.True(floatSteps < 1e-5, $"F32-activation steps differ from scoring by {floatSteps:g3}");
        // The default (8-bit activations, llama.cpp's choice) is a different computation, visibly so.
        Assert.True(MaxStepDelta(quantize: true) > 10 * floatSteps);
    }

    [Fact]
    public void Quantized_weights_run_without_a_dequantized_copy_and_stay_close_to_f32()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        using var f32 = TestModels.Load(checkpoint);
        using var q8 = TestModels.Load(checkpoint, GgmlType.Q8_0);
        var tokens = TestModels.Tokens(30, f32.VocabSize);
        var a = f32.Score(tokens);
        var b = q8.Score(tokens);
        var meanDelta = Enumerable.Range(0, 29).Average(p => Math.Abs(a.NextLogProb(p) - b.NextLogProb(p)));
        Assert.True(meanDelta < 0.02, $"mean |Δ| {meanDelta:g3}");
    }

    [Fact]
    public void Sliding_window_limits_what_a_position_sees()
    {
        // One layer: position p's output depends only on the tokens in its window, and RoPE only on
        // their relative positions, so it equals the last position of the window scored on its own.
        const int window = 6;
        var config = TestModels.Config(ModelArchitecture.Mistral, layers: 1) with { SlidingWindow = window };
        using var model = TestModels.LoadWithOwnConfig(TestModels.Checkpoint(config));
        Assert.Equal(window, model.Config.SlidingWindow);
        var tokens = TestModels.Tokens(24, config.VocabSize);
        var full = model.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        var unwindowed = TestModels.LoadWithOwnConfig(TestModels.Checkpoint(config with { SlidingWindow = null }));
        using (unwindowed)
        {
            var noWindow = unwindowed.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
            Assert.True(MaxDelta(full.LogProbs(window - 1), noWindow.LogProbs(window - 1)) < 1e-6);
            Assert.True(MaxDelta(full.LogProbs(20), noWindow.LogProbs(20)) > 1e-3);
        }
        for (var p = window; p < tokens.Length; p++)
        {
            var alone = model.Score(tokens.AsSpan(p - window + 1, window), window - 1, new ScoreOptions { KeepLogProbs = true });
            Assert.True(MaxDelta(full.LogProbs(p), alone.LogProbs(window - 1)) < 1e-4, $"position {p}");
        }
    }

    [Fact]
    public void Reset_starts_a_new_sequence_with_the_same_buffers()
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(12, model.VocabSize);
        using var session = model.CreateSession(new SessionOptions { ContextSize = 16 });
        var first = session.Prefill(tokens).ToArray();
        session.Reset();
        Assert.Equal(0, session.Position);
        Assert.Equal(first, session.Prefill(tokens).ToArray());
    }
}
