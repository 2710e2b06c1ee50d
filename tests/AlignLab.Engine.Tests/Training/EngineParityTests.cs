using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Kernels;
using AlignLab.Engine.Tests.Inference.Fidelity;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// A trained model exported as GGUF and run by the inference engine gives the trainer's own
/// distributions: the trainer's forward pass is the model the engine runs.
/// </summary>
public sealed class EngineParityTests
{
    [Fact]
    public void ExportedGgufRunsLikeTheTrainer()
    {
        var config = TrainingFixtures.Config(vocab: 40) with { HiddenSize = 32, IntermediateSize = 48, HeadCount = 4, KvHeadCount = 2, HeadDim = 8, ContextLength = 32 };
        var data = TrainingFixtures.Sequences(40, 11, 20, 17, 25, 9);
        using var trainer = Trainer.Create(config, new TrainingOptions { Steps = 20, BatchSize = 2, SequenceLength = 32, LearningRate = 1e-2f, Threads = 2 }, data);
        while (!trainer.IsFinished)
        {
            trainer.TrainStep();
        }
        int[] tokens = [.. data[2].Tokens];
        var logits = trainer.ComputeLogits(tokens);

        var gguf = GgufExport.ToArray(trainer.Weights, GgmlType.F32, RandomCheckpoint.SyntheticTokenizer(config.VocabSize), "parity");
        using var model = LlamaModel.FromGguf(GgufFile.Parse(gguf, "parity.gguf"));
        // GGUF stores ε as a float32.
        Assert.Equal(config with { RmsNormEps = (float)config.RmsNormEps }, model.Config with { EosTokenIds = config.EosTokenIds });
        var scored = model.Score(tokens, options: new ScoreOptions { KeepLogProbs = true, TopK = 1 });
        var v = config.VocabSize;
        var expected = new float[v];
        for (var p = 0; p < tokens.Length; p++)
        {
            Softmax.Log(logits.AsSpan(p * v, v), expected);
            var actual = scored.LogProbs(p);
            for (var i = 0; i < v; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"position {p}, token {i}: trainer {expected[i]}, engine {actual[i]}");
            }
        }

        // The raw logits too, not only their log-softmax.
        using var session = model.CreateSession(new SessionOptions { ContextSize = tokens.Length });
        var last = session.Prefill(tokens);
        for (var i = 0; i < v; i++)
        {
            Assert.Equal(logits[(tokens.Length - 1) * v + i], last[i], 1e-4);
        }
    }
}
