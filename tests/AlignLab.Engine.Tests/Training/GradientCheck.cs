namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// Central finite differences of a double-precision function, and the comparison of an analytic
/// float gradient with them: |analytic − numeric| ≤ tolerance·max(1, largest |numeric|).
/// </summary>
internal static class GradientCheck
{
    /// <summary>∂f/∂x[i] for every i, by (f(x + h) − f(x − h)) / 2h in double.</summary>
    public static double[] Numeric(Func<double[], double> f, double[] x, double h = 1e-6)
    {
        var gradient = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var saved = x[i];
            x[i] = saved + h;
            var plus = f(x);
            x[i] = saved - h;
            var minus = f(x);
            x[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }

    public static void AssertClose(ReadOnlySpan<float> analytic, double[] numeric, double tolerance, string what)
    {
        Assert.Equal(numeric.Length, analytic.Length);
        var scale = Math.Max(1, numeric.Max(Math.Abs));
        var worst = 0.0;
        var worstIndex = -1;
        for (var i = 0; i < numeric.Length; i++)
        {
            var error = Math.Abs(analytic[i] - numeric[i]);
            if (error > worst)
            {
                (worst, worstIndex) = (error, i);
            }
        }
        Assert.True(worst <= tolerance * scale,
            $"{what}: largest error {worst:E3} at {worstIndex} (analytic {(worstIndex >= 0 ? analytic[worstIndex] : 0)}, numeric {(worstIndex >= 0 ? numeric[worstIndex] : 0)}), allowed {tolerance * scale:E3}");
        // A gradient check passes trivially when everything is zero; make sure something was checked.
        Assert.True(numeric.Any(v => Math.Abs(v) > 1e-6), $"{what}: the numeric gradient is all zero");
    }

    public static float[] RandomFloats(int count, ulong seed, double scale = 1)
    {
        var random = new Engine.Generation.SamplingRandom(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }

    public static double Dot(double[] a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
