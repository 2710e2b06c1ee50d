using AlignLab.Engine.Generation;

namespace AlignLab.Tds;

/// <summary>
/// Percentile bootstrap over examples of the pooled class ratios (Σ class count / Σ positions), or of a plain
/// mean of per-example values: 1,000
/// resamples of the examples with replacement, each draw <c>NextUInt64() mod n</c> from the engine's
/// seeded PRNG (<see cref="SamplingRandom"/>), so a seed gives the same intervals on every machine; the
/// interval's ends are the 2.5th and 97.5th percentiles with linear interpolation (numpy's default).
/// </summary>
public static class Bootstrap
{
    public const int Resamples = 1000;

    public const double Confidence = 0.95;

    /// <summary>Per class, the 95% interval of the pooled ratio over <paramref name="examples"/>; [0, 0] when there are none.</summary>
    public static IReadOnlyDictionary<ShiftClass, (double Low, double High)> RatioIntervals(IReadOnlyList<ClassCounts> examples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var n = examples.Count;
        var ratios = ShiftClasses.All.ToDictionary(c => c, _ => new double[Resamples]);
        if (n > 0)
        {
            var random = new SamplingRandom(seed);
            for (var b = 0; b < Resamples; b++)
            {
                var sample = new ClassCounts();
                for (var i = 0; i < n; i++)
                {
                    sample.Add(examples[(int)(random.NextUInt64() % (ulong)n)]);
                }
                foreach (var c in ShiftClasses.All)
                {
                    ratios[c][b] = sample.Ratio(c);
                }
            }
        }
        var tail = (1 - Confidence) / 2;
        return ratios.ToDictionary(r => r.Key, r =>
        {
            Array.Sort(r.Value);
            return (Percentile(r.Value, tail), Percentile(r.Value, 1 - tail));
        });
    }

    /// <summary>The 95% interval of the mean of <paramref name="values"/> (one per example); [0, 0] when there are none.</summary>
    public static (double Low, double High) MeanInterval(IReadOnlyList<double> values, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n == 0)
        {
            return (0, 0);
        }
        var means = new double[Resamples];
        var random = new SamplingRandom(seed);
        for (var b = 0; b < Resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += values[(int)(random.NextUInt64() % (ulong)n)];
            }
            means[b] = sum / n;
        }
        Array.Sort(means);
        var tail = (1 - Confidence) / 2;
        return (Percentile(means, tail), Percentile(means, 1 - tail));
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between neighbours.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var h = (sorted.Length - 1) * q;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * (sorted[above] - sorted[below]));
    }
}
