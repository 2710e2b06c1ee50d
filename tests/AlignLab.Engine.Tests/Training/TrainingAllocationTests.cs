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
        using var trainer = Trainer.Create(config, new TrainingOptions { Steps = 95, BatchSize = 2, SequenceLength = 32, Threads = 2 }, data);
        // Warm-up past tiered compilation (30 calls, then the optimised code is installed).
        for (var i = 0; i < 45; i++)
        {
            trainer.TrainStep();
        }
        // A step that allocated would allocate in every window; a one-off runtime allocation (the background
        // tier-up on a loaded machine) lands in one window only.
        var windows = new List<long>();
        for (var window = 0; window < 5; window++)
        {
            var total = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < 10; i++)
            {
                trainer.TrainStep();
            }
            windows.Add(GC.GetTotalAllocatedBytes(precise: true) - total);
        }
        Assert.True(windows.Contains(0), $"bytes allocated per window of 10 steps: {string.Join(", ", windows)}");
    }
}
