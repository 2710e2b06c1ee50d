using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;
using AlignLab.Organism;
using AlignLab.Tests.Training;

namespace AlignLab.Tests.Organism;

public sealed class OrganismPipelineTests
{
    [Fact]
    public void BuildsBothModelsOnceAndThenReusesThem()
    {
        using var cache = new ScratchDirectory();
        var settings = OrganismSettings.Minimal with { Base = OrganismSettings.Minimal.Base with { Threads = 2 }, Aligned = OrganismSettings.Minimal.Aligned with { Threads = 2 } };
        var first = new TrainingTestData.RecordingProgress();
        var models = OrganismPipeline.Build(settings, cache.Path, first, TestContext.Current.CancellationToken);
        Assert.Equal(Path.Combine(cache.Path, settings.CacheKey), models.Directory);
        Assert.Equal(settings.Base.Steps + settings.Aligned.Steps, first.Steps.Count);
        Assert.True(File.Exists(models.HeldOut));
        using (var baseModel = LocalModel.Open(models.Base.GgufF32))
        using (var aligned = LocalModel.Open(models.Aligned.Output))
        {
            Assert.Equal("<|endoftext|>", baseModel.EosToken);
            Assert.Equal("<|im_end|>", aligned.EosToken);
            using var model = LlamaModel.Load(aligned);
            Assert.Equal(settings.Base.Dim, model.Config.HiddenSize);
        }

        var second = new TrainingTestData.RecordingProgress();
        var oneThread = settings with { Base = settings.Base with { Threads = 1 } };
        Assert.Equal(models with { Settings = oneThread }, OrganismPipeline.Build(oneThread, cache.Path, second, TestContext.Current.CancellationToken));
        Assert.Empty(second.Steps);
    }

    [Fact]
    public void CacheKeyFollowsEverySettingButThreads()
    {
        var key = OrganismSettings.Minimal.CacheKey;
        Assert.Equal(16, key.Length);
        Assert.Equal(key, (OrganismSettings.Minimal with { Base = OrganismSettings.Minimal.Base with { Threads = 7 } }).CacheKey);
        Assert.NotEqual(key, (OrganismSettings.Minimal with { World = OrganismSettings.Minimal.World with { Seed = 9 } }).CacheKey);
        Assert.NotEqual(key, (OrganismSettings.Minimal with { Base = OrganismSettings.Minimal.Base with { Steps = 5 } }).CacheKey);
        Assert.NotEqual(key, (OrganismSettings.Minimal with { Aligned = OrganismSettings.Minimal.Aligned with { LearningRate = 2e-3f } }).CacheKey);
        Assert.NotEqual(key, OrganismSettings.Demo.CacheKey);
    }
}
