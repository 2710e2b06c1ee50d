using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>Whole runs of the trainer on tiny models: it learns, it is reproducible, and it resumes exactly.</summary>
public sealed class TrainerTests
{
    private static TrainingOptions Options(int steps, ulong seed = 3, int threads = 1) => new()
    {
        Steps = steps,
        BatchSize = 2,
        SequenceLength = 12,
        LearningRate = 1e-2f,
        WarmupSteps = 5,
        WeightDecay = 0,
        Seed = seed,
        Threads = threads,
    };

    [Fact]
    public void TinyModelOverfitsTinyCorpus()
    {
        var config = TrainingFixtures.Config(vocab: 16) with { HiddenSize = 32, IntermediateSize = 64, HeadCount = 4, KvHeadCount = 2, HeadDim = 8 };
        var data = TrainingFixtures.Sequences(16, 9, 10, 8, 12, 6);
        using var trainer = Trainer.Create(config, Options(150), data);
        var first = trainer.TrainStep().Loss;
        TrainingStepResult last = default;
        while (!trainer.IsFinished)
        {
            last = trainer.TrainStep();
        }
        Assert.True(first > 2.0, $"the first loss {first} should be near ln 16 = 2.77");
        Assert.True(last.Loss < 0.05, $"the last loss {last.Loss} should be near 0 on a memorized corpus");
        Assert.Equal(150, last.Step);
    }

    [Fact]
    public void SameSeedAndThreadsGiveTheSameWeightsBitForBit()
    {
        var config = TrainingFixtures.Config();
        var data = TrainingFixtures.Sequences(config.VocabSize, 4, 9, 5, 14, 3, 7);
        float[] Run(ulong seed)
        {
            using var trainer = Trainer.Create(config, Options(8, seed, threads: 2), data);
            while (!trainer.IsFinished)
            {
                trainer.TrainStep();
            }
            return trainer.Weights.Data;
        }
        var a = Run(3);
        var b = Run(3);
        Assert.Equal(Bits(a), Bits(b));
        Assert.NotEqual(Bits(a), Bits(Run(4)));
    }

    [Fact]
    public void ResumedRunEqualsUninterruptedRunBitForBit()
    {
        var config = TrainingFixtures.Config();
        var data = TrainingFixtures.Sequences(config.VocabSize, 6, 9, 5, 14, 3, 7, 11);
        using var scratch = new ScratchDirectory();
        using var whole = Trainer.Create(config, Options(10, threads: 2), data);
        var wholeLosses = new List<double>();
        while (!whole.IsFinished)
        {
            wholeLosses.Add(whole.TrainStep().Loss);
        }

        var path = scratch.File("run.ckpt");
        var losses = new List<double>();
        using (var first = Trainer.Create(config, Options(10, threads: 2), data))
        {
            for (var i = 0; i < 4; i++)
            {
                losses.Add(first.TrainStep().Loss);
            }
            first.Checkpoint().Save(path);
            first.TrainStep();  // work after the checkpoint is lost with the process
        }
        var checkpoint = TrainingCheckpoint.Load(path);
        Assert.Equal(4, checkpoint.Step);
        using var resumed = Trainer.Resume(checkpoint, data);
        while (!resumed.IsFinished)
        {
            losses.Add(resumed.TrainStep().Loss);
        }
        Assert.Equal(wholeLosses, losses);
        Assert.Equal(Bits(whole.Weights.Data), Bits(resumed.Weights.Data));
    }

    [Fact]
    public void ResumeRefusesOtherData()
    {
        var config = TrainingFixtures.Config();
        var data = TrainingFixtures.Sequences(config.VocabSize, 6, 9, 5);
        using var trainer = Trainer.Create(config, Options(4), data);
        trainer.TrainStep();
        var other = TrainingFixtures.Sequences(config.VocabSize, 7, 9, 5);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Resume(trainer.Checkpoint(), other));
        Assert.Contains("different data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokensOutsideTheVocabularyAreRefused()
    {
        var config = TrainingFixtures.Config();
        var error = Assert.Throws<ArgumentException>(() => Trainer.Create(config, Options(2), [new TrainingSequence([1, 2, 13])]));
        Assert.Contains("token id 13", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchTooLargeForMemoryIsRefusedBeforeAllocating()
    {
        var config = TrainingFixtures.Config();
        var data = TrainingFixtures.Sequences(13, 1, 5);
        // 16 layers of buffers each under the array limit: about 470 GB of activations.
        var error = Assert.Throws<ArgumentException>(() => Trainer.Create(TrainingFixtures.Config(layers: 16), Options(1) with { BatchSize = 40_000_000, SequenceLength = 2 }, data));
        Assert.Contains("MiB of activations", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Trainer.Create(config, Options(1) with { BatchSize = 10_000_000, SequenceLength = 16 }, data));
        Assert.Contains("more than an array can hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StepsReportTheirEpoch()
    {
        var config = TrainingFixtures.Config();
        // Two documents that fill a row each: an epoch is one step of two rows.
        using var trainer = Trainer.Create(config, Options(3), TrainingFixtures.Sequences(13, 2, 12, 12));
        Assert.Equal([0, 1, 2], new[] { trainer.TrainStep(), trainer.TrainStep(), trainer.TrainStep() }.Select(s => s.Epoch));
    }

    [Fact]
    public void LearningRateWarmsUpThenDecaysToTheMinimum()
    {
        var options = new TrainingOptions { Steps = 100, LearningRate = 1f, WarmupSteps = 10, MinLearningRateRatio = 0.1f };
        Assert.Equal(0.1f, options.LearningRateAt(0), 6);
        Assert.Equal(1f, options.LearningRateAt(9), 6);
        Assert.Equal(0.55f, options.LearningRateAt(55), 5);   // half way through the cosine: (1 + 0.1) / 2
        Assert.Equal(0.1f, options.LearningRateAt(100), 6);
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
