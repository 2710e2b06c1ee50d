using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class RmsNormTests
{
    [Theory]
    [MemberData(nameof(WidthsAndLengths), MemberType = typeof(KernelTestData))]
    public void Every_width_and_the_reference_agree_with_the_double_formula(int width, int n)
    {
        var x = Floats(n, n, 3f);
        var w = Floats(n, n + 1);
        var body = new Case(x, w, 1e-5f);
        Widths.Run(width, body);
        var expected = new float[n];
        RmsNorm.Reference.Apply(x, w, 1e-5f, expected);

        double sumSquares = 0;
        foreach (var v in x)
        {
            sumSquares += (double)v * v;
        }
        var scale = 1 / Math.Sqrt(sumSquares / n + 1e-5);
        // The float sum of squares is off by at most n·2⁻²⁴ relative (in either order); the scale by half that.
        var tolerance = 4e-7 + n * 3e-8;
        for (var i = 0; i < n; i++)
        {
            var exact = x[i] * scale * w[i];
            Assert.True(Math.Abs(body.Result[i] - exact) <= tolerance * Math.Abs(exact) + 1e-30, $"[{i}] vector");
            Assert.True(Math.Abs(expected[i] - exact) <= tolerance * Math.Abs(exact) + 1e-30, $"[{i}] reference");
        }
    }

    [Fact]
    public void A_nan_input_makes_every_output_nan_and_the_public_entry_matches_the_reference()
    {
        var x = Floats(100, 1);
        var w = Floats(100, 2);
        float[] expected = new float[100], actual = new float[100];
        RmsNorm.Reference.Apply(x, w, 1e-6f, expected);
        RmsNorm.Apply(x, w, 1e-6f, actual);
        for (var i = 0; i < 100; i++)
        {
            AssertUlps(expected[i], actual[i], 8, $"[{i}]");
        }
        x[37] = float.NaN;
        RmsNorm.Apply(x, w, 1e-6f, actual);
        Assert.All(actual, v => Assert.True(float.IsNaN(v)));
    }

    private sealed class Case(float[] x, float[] w, float eps) : IWidthCase
    {
        public float[] Result { get; } = new float[x.Length];

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            fixed (float* px = x, pw = w, pr = Result)
            {
                RmsNorm.Apply<TS, TF, TI>(px, pw, eps, pr, x.Length);
            }
        }
    }
}

public sealed unsafe class SoftmaxTests
{
    [Theory]
    [MemberData(nameof(WidthsAndLengths), MemberType = typeof(KernelTestData))]
    public void Every_width_and_the_reference_agree_with_the_double_formulas(int width, int n)
    {
        var x = Floats(n, n, 20f);
        var body = new Case(x);
        Widths.Run(width, body);

        var expected = (float[])x.Clone();
        Softmax.Reference.Apply(expected);
        var expectedLog = new float[n];
        Softmax.Reference.Log(x, expectedLog);

        var max = n == 0 ? double.NegativeInfinity : x.Max();
        var sum = x.Sum(v => Math.Exp(v - max));
        var lse = n == 0 ? double.NegativeInfinity : max + Math.Log(sum);
        // exp is within a few ulps of its argument, which float subtraction rounds by |x - max|·2⁻²⁴;
        // the float sum of n terms is within n·2⁻²⁴ relative, in either order.
        for (var i = 0; i < n; i++)
        {
            var tolerance = 1e-6 + n * 6e-8 + Math.Abs(x[i] - max) * 1.2e-7;
            var exact = Math.Exp(x[i] - max) / sum;
            Assert.True(Math.Abs(body.Softmax[i] - exact) <= tolerance * exact, $"softmax[{i}]");
            Assert.True(Math.Abs(expected[i] - exact) <= tolerance * exact, $"reference softmax[{i}]");
            var exactLog = x[i] - lse;
            Assert.True(Math.Abs(body.LogSoftmax[i] - exactLog) <= 4e-6 * Math.Max(1, Math.Abs(exactLog)), $"log-softmax[{i}]");
            Assert.True(Math.Abs(expectedLog[i] - exactLog) <= 4e-6 * Math.Max(1, Math.Abs(exactLog)), $"reference log-softmax[{i}]");
        }
        if (n == 0)
        {
            Assert.Equal(float.NegativeInfinity, body.LogSumExp);
            return;
        }
        Assert.True(Math.Abs(body.LogSumExp - lse) <= 2e-6 * Math.Max(1, Math.Abs(lse)), "log-sum-exp");
        Assert.Equal(1.0, body.Softmax.Sum(v => (double)v), 1e-5);
        // The entropy of the exact log-softmax row, summed in double; terms are at most e⁻¹ in size.
        var exactLogs = x.Select(v => (float)(v - lse)).ToArray();
        var entropy = -exactLogs.Sum(l => Math.Exp(l) * l);
        Assert.True(Math.Abs(Softmax.Entropy(exactLogs) - entropy) <= 1e-6 + n * 1e-7, $"entropy {Softmax.Entropy(exactLogs)} vs {entropy}");
        Assert.True(Math.Abs(Softmax.Reference.Entropy(exactLogs) - entropy) <= 1e-6 + n * 1e-7, "reference entropy");
        var raw = Softmax.Reference.Entropy(x); // x read as log-probabilities: terms up to 20·e²⁰
        Assert.True(Math.Abs(body.Entropy - raw) <= 1e-5 * x.Sum(v => Math.Exp(v) * Math.Abs(v)), $"entropy at this width {body.Entropy} vs {raw}");
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestData))]
    public void Special_values_behave_like_the_reference(int width)
    {
        foreach (var (x, what) in new (float[], string)[]
        {
            (WithAt(Floats(40, 1), 5, float.NaN), "NaN"),
            (WithAt(WithAt(Floats(40, 2), 3, float.NegativeInfinity), 33, float.NegativeInfinity), "-inf entries"),
            (WithAt(Floats(40, 3), 20, float.PositiveInfinity), "+inf"),
            (Enumerable.Repeat(float.NegativeInfinity, 40).ToArray(), "all -inf"),
            ([], "empty"),
        })
        {
            var body = new Case(x);
            Widths.Run(width, body);
            var expected = (float[])x.Clone();
            Softmax.Reference.Apply(expected);
            var expectedLog = new float[x.Length];
            Softmax.Reference.Log(x, expectedLog);
            for (var i = 0; i < x.Length; i++)
            {
                AssertUlps(expected[i], body.Softmax[i], 8, $"{what} softmax[{i}]");
                AssertUlps(expectedLog[i], body.LogSoftmax[i], 8, $"{what} log-softmax[{i}]");
            }
            AssertUlps(Softmax.Reference.LogSumExp(x), body.LogSumExp, 8, $"{what} log-sum-exp");
        }
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestData))]
    public void Entropy_ignores_zero_probabilities_and_propagates_nan(int width)
    {
        float[] uniform = [.. Enumerable.Repeat(MathF.Log(1f / 40), 40)];
        var withZeros = uniform.Select((l, i) => i % 2 == 0 ? MathF.Log(1f / 20) : float.NegativeInfinity).ToArray();
        foreach (var (logProbs, expected) in new (float[], float)[] { (uniform, MathF.Log(40)), (withZeros, MathF.Log(20)), (WithAt((float[])uniform.Clone(), 37, float.NaN), float.NaN), ([], 0) })
        {
            var body = new Case(logProbs);
            Widths.Run(width, body);
            Assert.Equal(expected, body.Entropy, 5);
            Assert.Equal(expected, Softmax.Reference.Entropy(logProbs), 5);
        }
    }

    [Fact]
    public void Reference_special_cases_follow_torch()
    {
        var p = Floats(8, 4);
        p[2] = float.NegativeInfinity;
        Softmax.Reference.Apply(p);
        Assert.Equal(0f, p[2]);
        Assert.True(float.IsNaN(Softmax.Reference.LogSumExp([1f, float.NaN])));
        Assert.Equal(float.NegativeInfinity, Softmax.Reference.LogSumExp([]));
        Assert.Equal(float.NegativeInfinity, Softmax.Reference.LogSumExp([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Equal(float.PositiveInfinity, Softmax.LogSumExp([1f, float.PositiveInfinity]));
        Assert.Equal(MathF.Log(2f), Softmax.LogSumExp([0f, 0f]), 6);
    }

    private static float[] WithAt(float[] x, int i, float v)
    {
        x[i] = v;
        return x;
    }

    private sealed class Case(float[] x) : IWidthCase
    {
        public float[] Softmax { get; } = (float[])x.Clone();
        public float[] LogSoftmax { get; } = new float[x.Length];
        public float LogSumExp { get; private set; }

        /// <summary>The entropy of the input read as log-probabilities.</summary>
        public float Entropy { get; private set; }

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            fixed (float* px = x, ps = Softmax, pl = LogSoftmax)
            {
                AlignLab.Engine.Kernels.Softmax.Apply<TS, TF, TI>(ps, x.Length);
                AlignLab.Engine.Kernels.Softmax.Log<TS, TF, TI>(px, pl, x.Length);
                LogSumExp = AlignLab.Engine.Kernels.Softmax.LogSumExp<TS, TF, TI>(px, x.Length);
                Entropy = AlignLab.Engine.Kernels.Softmax.Entropy<TS, TF, TI>(px, x.Length);
            }
        }
    }
}

public sealed unsafe class ActivationsTests
{
    [Theory]
    [MemberData(nameof(WidthsAndLengths), MemberType = typeof(KernelTestData))]
    public void Silu_and_swiglu_match_the_reference_within_8_ulps_including_specials(int width, int n)
    {
        var gate = FloatsWithSpecials(n, n, 30f);
        var up = Floats(n, n + 3, 2f);
        var body = new Case(gate, up);
        Widths.Run(width, body);
        float[] silu = new float[n], swiglu = new float[n];
        Activations.Reference.Silu(gate, silu);
        Activations.Reference.SwiGlu(gate, up, swiglu);
        for (var i = 0; i < n; i++)
        {
            AssertUlps(silu[i], body.Silu[i], 8, $"silu[{i}] of {gate[i]}");
            AssertUlps(swiglu[i], body.SwiGlu[i], 8, $"swiglu[{i}]");
        }
    }

    [Fact]
    public void Silu_follows_the_formula_at_known_points()
    {
        var x = new[] { 0f, 1f, -1f, 20f, -100f, float.PositiveInfinity, float.NegativeInfinity, float.NaN };
        var y = new float[x.Length];
        Activations.Silu(x, y);
        Assert.Equal(0f, y[0]);
        Assert.Equal(1f / (1f + MathF.Exp(-1f)), y[1], 6);
        Assert.Equal(-1f / (1f + MathF.Exp(1f)), y[2], 6);
        Assert.Equal(20f, y[3], 4);
        Assert.Equal(0f, y[4]); // -100 / (1 + e^100) underflows to -0
        Assert.Equal(float.PositiveInfinity, y[5]);
        Assert.True(float.IsNaN(y[6])); // -inf / inf, as llama.cpp
        Assert.True(float.IsNaN(y[7]));
    }

    private sealed class Case(float[] gate, float[] up) : IWidthCase
    {
        public float[] Silu { get; } = new float[gate.Length];
        public float[] SwiGlu { get; } = new float[gate.Length];

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            fixed (float* pg = gate, pu = up, ps = Silu, pw = SwiGlu)
            {
                Activations.SwiGlu<TS, TF, TI>(pg, null, ps, gate.Length);
                Activations.SwiGlu<TS, TF, TI>(pg, pu, pw, gate.Length);
            }
        }
    }
}
