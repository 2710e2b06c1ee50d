using System.Globalization;
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
        var compare = new Comparison(golden);
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
        var compare = new Comparison(golden);
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

    /// <summary>Accumulates the comparison of each of our rows with llama.cpp's position.</summary>
    private sealed class Comparison(LlamaGolden golden)
    {
        public List<(float Next, float[] Top)> Ours { get; } = [];

        public double MaxAbsDelta { get; private set; }

        public int WorstPosition { get; private set; }

        public int TopSetMismatches { get; private set; }

        public int TopOneMismatches { get; private set; }

        public int PeakedPositions { get; private set; }

        /// <summary>Positions where llama.cpp's top-1 leads its top-2 by ≥ 0.1 in logit (log-probability).</summary>
        public int ClearPositions { get; private set; }

        public int ClearTopOneMismatches { get; private set; }

        private double _klSum, _nextDeltaSum, _absDeltaSum;
        private int _nextCount, _entries;

        public double MeanKl => _klSum / golden.Positions.Length;

        public double MeanNextDelta => _nextDeltaSum / _nextCount;

        public double MeanAbsDelta => _absDeltaSum / _entries;

        public void Add(int position, ReadOnlySpan<float> logProbs)
        {
            var g = golden.Positions[position];
            var next = position + 1 < golden.Tokens.Length ? logProbs[golden.Tokens[position + 1]] : float.NaN;
            var atIds = new float[g.Ids.Length];
            for (var i = 0; i < atIds.Length; i++)
            {
                atIds[i] = logProbs[g.Ids[i]];
            }
            Ours.Add((next, atIds));

            // |Δ| at llama.cpp's top-10 ids and at the next token
            for (var i = 0; i < g.Ids.Length; i++)
            {
                Track(Math.Abs(logProbs[g.Ids[i]] - g.LogProbs[i]), position);
            }
            if (g.Next is { } gn)
            {
                var d = Math.Abs(next - gn);
                Track(d, position);
                _nextDeltaSum += d;
                _nextCount++;
            }

            // Our top-k as a set must equal llama.cpp's wherever its k-th and (k+1)-th are ≥ 1e-2 apart.
            var ours = new int[g.Ids.Length];
            LogProbMath.TopK(logProbs, ours, new float[ours.Length]);
            for (var k = 1; k < g.Ids.Length; k++)
            {
                if (g.LogProbs[k - 1] - g.LogProbs[k] >= 1e-2 && !ours.Take(k).Order().SequenceEqual(g.Ids.Take(k).Order()))
                {
                    TopSetMismatches++;
                }
            }
            if (g.LogProbs[0] - g.LogProbs[1] >= 0.1)
            {
                ClearPositions++;
                if (ours[0] != g.Ids[0])
                {
                    ClearTopOneMismatches++;
                }
            }
            if (g.LogProbs[0] - g.LogProbs[1] >= 0.5)
            {
                PeakedPositions++;
                if (ours[0] != g.Ids[0])
                {
                    TopOneMismatches++;
                }
            }

            // KL(llama.cpp ‖ ours) over llama.cpp's top-10, each renormalised over those ids.
            var p = Normalise(g.LogProbs);
            var q = Normalise([.. atIds.Select(l => (double)l)]);
            _klSum += p.Zip(q).Sum(pq => Math.Exp(pq.First) * (pq.First - pq.Second));
        }

        private void Track(double delta, int position)
        {
            _absDeltaSum += delta;
            _entries++;
            if (delta > MaxAbsDelta)
            {
                MaxAbsDelta = delta;
                WorstPosition = position;
            }
        }

        private static double[] Normalise(double[] logProbs)
        {
            var max = logProbs.Max();
            var logSum = max + Math.Log(logProbs.Sum(l => Math.Exp(l - max)));
            return [.. logProbs.Select(l => l - logSum)];
        }

        public string Summary() => string.Create(CultureInfo.InvariantCulture,
            $"{golden.Fixture}: {golden.Positions.Length} positions; |Δ logprob| max {MaxAbsDelta:g3} mean {MeanAbsDelta:g3}; next-token mean |Δ| {MeanNextDelta:g3}; mean top-10 KL {MeanKl:g3}; top-k set mismatches {TopSetMismatches}; top-1 mismatches {ClearTopOneMismatches} of {ClearPositions} positions with margin ≥ 0.1, {TopOneMismatches} of {PeakedPositions} with margin ≥ 0.5");
    }
}
