using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Kernels;

namespace AlignLab.Engine.Tests.Inference;

/// <summary>
/// A warm session allocates nothing per decode step or prefill batch, on any of its threads. Runs in
/// the allocation collection (no parallel tests), so the process-wide count is this test's alone.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class DecodeAllocationTests
{
    [Theory]
    [InlineData(ModelArchitecture.Llama, GgmlType.F16, KvCacheType.F32)]
    [InlineData(ModelArchitecture.Qwen2, GgmlType.Q8_0, KvCacheType.F16)]
    [InlineData(ModelArchitecture.Qwen3, GgmlType.Q4_0, KvCacheType.F32)]
    public void Decode_steps_and_prefill_allocate_nothing_once_warm(ModelArchitecture arch, GgmlType type, KvCacheType kvCache)
    {
        using var model = TestModels.Load(TestModels.Config(arch), type);
        using var session = model.CreateSession(new SessionOptions { ContextSize = 128, Threads = 2, KvCacheType = kvCache });
        var tokens = TestModels.Tokens(100, model.VocabSize);
        void Steps(int from, int to)
        {
            for (var p = from; p < to; p++)
            {
                session.Step(tokens[p]);
            }
        }
        // Warm-up past tiered compilation (30 calls, then the optimised code is installed).
        for (var round = 0; round < 3; round++)
        {
            session.Reset();
            session.Prefill(tokens.AsSpan(0, 20));
            Steps(20, 80);
        }
        // A real per-step allocation shows in every window; one-off noise under load (a late tier-up, runtime
        // bookkeeping on a starved machine) does not, so one clean window of five passes.
        var windows = new List<string>();
        for (var window = 0; window < 5; window++)
        {
            session.Reset();
            var total = GC.GetTotalAllocatedBytes(precise: true);
            session.Prefill(tokens.AsSpan(0, 20));
            var prefillBytes = GC.GetTotalAllocatedBytes(precise: true) - total;
            Steps(20, 80);
            total = GC.GetTotalAllocatedBytes(precise: true);
            Steps(80, 100);
            var stepBytes = (GC.GetTotalAllocatedBytes(precise: true) - total) / 20.0;
            if (prefillBytes == 0 && stepBytes == 0)
            {
                return;
            }
            windows.Add($"{prefillBytes} bytes for a prefill batch, {stepBytes} per decode step");
        }
        Assert.Fail("every window allocated: " + string.Join("; ", windows));
    }
}
