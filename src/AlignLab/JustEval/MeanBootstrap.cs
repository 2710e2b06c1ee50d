using AlignLab.Engine.Generation;
using AlignLab.Tds;

namespace AlignLab.JustEval;

/// <summary>
/// Percentile bootstrap of a mean: <see cref="Bootstrap.Resamples"/> resamples of the values with replacement, each
/// draw <c>NextUInt64() mod n</c> from the engine's seeded PRNG, the interval's ends the 2.5th and 97.5th percentiles
/// (<see cref="Bootstrap.Percentile"/>, as the TDS summaries compute theirs). The seed is fixed, so a file gives the
/// same interval on every machine and run.
/// </summary>
public static class MeanBootstrap
{
    public const ulong Seed = 0x4A55_5354_4556_414C; // "JUSTEVAL"

    public static (double Low, double High) Interval(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n == 0)
        {
            return (double.NaN, double.NaN);
        }
        var random = new SamplingRandom(Seed);
        var means = new double[Bootstrap.Resamples];
        for (var b = 0; b < means.Length; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += values[(int)(random.NextUInt64() % (ulong)n)];
            }
            means[b] = sum / n;
        }
        Array.Sort(means);
        var tail = (1 - Bootstrap.Confidence) / 2;
        return (Bootstrap.Percentile(means, tail), Bootstrap.Percentile(means, 1 - tail));
    }
}
