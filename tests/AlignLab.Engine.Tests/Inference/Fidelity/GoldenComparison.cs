using System.Globalization;
using AlignLab.Engine.Inference;

namespace AlignLab.Engine.Tests.Inference.Fidelity;

/// <summary>Accumulates the comparison of each of our rows with llama.cpp's position.</summary>
internal sealed class GoldenComparison(LlamaGolden golden)
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
