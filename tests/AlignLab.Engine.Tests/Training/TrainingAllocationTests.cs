using AlignLab.Engine.Tests.Kernels;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// A warm trainer allocates nothing per step, on any of its threads. Runs in the allocation collection
/// (no parallel tests), so the process-wide count is this test's alone.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class TrainingAllocationTests
{
    [Fact]
    public void TrainingStepsAllocateNothingOnceWarm()
    {
        var config = TrainingFixtures.Config(vocab: 40) with { HiddenSize = 32, IntermediateSize = 48, HeadCount = 4, KvHeadCount = 2, HeadDim = 8, ContextLength = 32 };
        // Long enough that no step crosses into a new epoch (packing an epoch is not a per-step cost).
        var data = TrainingFixtures.Sequences(40, 3, [.. Enumerable.Repeat(30, 200)]);
        using var trainer = Trainer.Create(config, new TrainingOptions { Steps = 80, BatchSize = 2, SequenceLength = 32, Threads = 2 }, data);
        // Warm-up past tiered compilation (30 calls, then the optimised code is installed).
        for (var i = 0; i < 40; i++)
        {
            trainer.TrainStep();
        }
        var total = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < 20; i++)
        {
            trainer.TrainStep();
        }
        var perStep = (GC.GetTotalAllocatedBytes(precise: true) - total) / 20.0;
        Assert.True(perStep == 0, $"{perStep} bytes allocated per training step");
    }
}
