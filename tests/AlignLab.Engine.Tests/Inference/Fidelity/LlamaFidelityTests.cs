using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Inference.Fidelity;

/// <summary>
/// Our forward pass against llama.cpp's on the same GGUF files: each fixture is rebuilt in-process
/// (byte-identical to the one llama.cpp scored, checked by SHA-256) and scored with the KV cache type
/// llama.cpp used, then compared with the committed golden.
/// </summary>
public class LlamaFidelityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fixtures => [.. FidelityFixture.All.Select(f => f.Name)];

    /// <summary>The fixtures whose weights a decode step multiplies with integer dot products (quantized activations).</summary>
    public static TheoryData<string> QuantizedFixtures => [.. FidelityFixture.All.Where(f => f.Type is GgmlType.Q8_0 or GgmlType.Q4_0).Select(f => f.Name)];

    [Fact]
    public void Every_fixture_has_a_golden_of_at_least_256_positions()
    {
        Assert.Equal(FidelityFixture.All.Count, FidelityFixture.All.Select(f => f.Name).Distinct().Count());
        Assert.All(FidelityFixture.All, f => Assert.True(LlamaGolden.Load(f.Name).Positions.Length >= 256, f.Name));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Matches_llama_cpp(string name)
    {
        var fixture = FidelityFixture.All.Single(f => f.Name == name);
        var shared = SharedFixtures.Require(fixture.VocabFile);
        var golden = LlamaGolden.Load(name);
        var bytes = fixture.BuildGguf(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(shared)))!);
        Assert.Equal(golden.Sha256, FidelityFixture.Sha256(bytes));

        using var model = LlamaModel.FromGguf(GgufFile.Parse(bytes, name));
        Assert.Equal(fixture.Tokens(model.VocabSize), golden.Tokens);
        Assert.Equal(fixture.KvCache, golden.KvCache);
        var kvCache = golden.KvCache == "f32" ? KvCacheType.F32 : KvCacheType.F16;
        var compare = new GoldenComparison(golden);
        var result = model.Score(golden.Tokens, 0, new ScoreOptions { OnLogProbs = compare.Add }, kvCache);
        Assert.Equal(golden.Tokens.Length, result.Count);
        output.WriteLine(compare.Summary());

        var dense = fixture.Type is GgmlType.F32 or GgmlType.F16;
        if (dense)
        {
            var tolerance = fixture.Type == GgmlType.F32 ? 1e-3 : 5e-3;
            Assert.True(compare.MaxAbsDelta <= tolerance, $"max |Δ logprob| {compare.MaxAbsDelta:g3} > {tolerance} at position {compare.WorstPosition}");
            Assert.True(compare.TopSetMismatches == 0, $"{compare.TopSetMismatches} clear top-k boundaries disagree");
        }
        else
        {
            Assert.True(compare.MeanKl <= 1e-3, $"mean KL(llama.cpp ‖ ours) over the top-10 {compare.MeanKl:g3} > 1e-3");
            Assert.True(compare.MeanNextDelta <= 0.02, $"mean |Δ next-token logprob| {compare.MeanNextDelta:g3} > 0.02");
            Assert.True(compare.ClearTopOneMismatches <= 0.01 * compare.ClearPositions,
                $"top-1 agrees at only {compare.ClearPositions - compare.ClearTopOneMismatches} of {compare.ClearPositions} positions where llama.cpp's leads by ≥ 0.1 (< 99%)");
            if (fixture.IsKQuant)
            {
                // The random K-quant models are flat enough that this must be checked to mean something.
                Assert.True(compare.ClearPositions >= 50, $"only {compare.ClearPositions} positions where llama.cpp's top-1 leads by ≥ 0.1");
            }
        }
        Assert.True(compare.TopOneMismatches == 0, $"{compare.TopOneMismatches} positions with llama.cpp margin ≥ 0.5 disagree on the top token");
        // Our own statistics agree with the row they came from.
        for (var p = 0; p < result.End; p++)
        {
            if (p + 1 < golden.Tokens.Length)
            {
                Assert.Equal(golden.Tokens[p + 1], result.NextToken(p));
                Assert.Equal(compare.Ours[p].Next, result.NextLogProb(p));
            }
        }
    }

    /// <summary>
    /// The decode path (one token per step, activations quantized to Q8_0 for the integer kernels)
    /// against the same goldens and the same tolerances as scoring quantized models.
    /// </summary>
    [Theory]
    [MemberData(nameof(QuantizedFixtures))]
    public void Decoding_step_by_step_matches_llama_cpp(string name)
    {
        var fixture = FidelityFixture.All.Single(f => f.Name == name);
        var shared = SharedFixtures.Require(fixture.VocabFile);
        var golden = LlamaGolden.Load(name);
        using var model = LlamaModel.FromGguf(GgufFile.Parse(fixture.BuildGguf(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(shared)))!), name));
        using var session = model.CreateSession(new SessionOptions { ContextSize = golden.Tokens.Length, KvCacheType = KvCacheType.F16 });
        var compare = new GoldenComparison(golden);
        var row = new float[model.VocabSize];
        for (var p = 0; p < golden.Tokens.Length; p++)
        {
            session.Step(golden.Tokens[p]).CopyTo(row);
            LogProbMath.LogSoftmax(row);
            compare.Add(p, row);
        }
        output.WriteLine(compare.Summary());
        Assert.True(compare.MeanKl <= 1e-3, $"mean KL(llama.cpp ‖ ours) over the top-10 {compare.MeanKl:g3} > 1e-3");
        Assert.True(compare.MeanNextDelta <= 0.02, $"mean |Δ next-token logprob| {compare.MeanNextDelta:g3} > 0.02");
        Assert.True(compare.TopOneMismatches == 0, $"{compare.TopOneMismatches} positions with llama.cpp margin ≥ 0.5 disagree on the top token");
    }
}
