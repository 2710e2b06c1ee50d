using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class RopeTests
{
    public static TheoryData<int, int, int> Shapes
    {
        get
        {
            var data = new TheoryData<int, int, int>();
            foreach (var width in new[] { 128, 256, 512 })
            {
                foreach (var (headDim, pairs) in new[] { (2, 1), (4, 2), (6, 3), (8, 4), (16, 8), (32, 16), (64, 32), (80, 40), (96, 48), (128, 64), (128, 32), (64, 13) })
                {
                    data.Add(width, headDim, pairs);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Both_layouts_match_the_reference_bit_for_bit_over_several_heads(int width, int headDim, int pairs)
    {
        const int heads = 3;
        var frequencies = RopeFrequencies.Ggml(10000f, 2 * pairs, RopeScaling.None);
        float[] cos = new float[pairs], sin = new float[pairs];
        frequencies.Compute(37, cos, sin);
        foreach (var layout in new[] { RopeLayout.Normal, RopeLayout.Neox })
        {
            var x = FloatsWithSpecials(heads * headDim, headDim + pairs, 2f);
            var expected = (float[])x.Clone();
            Rope.Reference.Apply(expected, headDim, cos, sin, layout);
            var body = new Case((float[])x.Clone(), headDim, cos, sin, layout);
            Widths.Run(width, body);
            AssertSameFloats(expected, body.X, $"{layout}");
        }
    }

    [Fact]
    public void Normal_rotates_adjacent_pairs_and_neox_rotates_halves()
    {
        float[] cos = [0f, 1f], sin = [1f, 0f]; // pair 0 turns a quarter, pair 1 stays
        var normal = new float[] { 1, 2, 3, 4, 9 };
        Assert.Throws<ArgumentException>(() => Rope.Apply(normal, 4, cos, sin, RopeLayout.Normal)); // 5 is not whole heads
        normal = [1, 2, 3, 4];
        Rope.Apply(normal, 4, cos, sin, RopeLayout.Normal);
        Assert.Equal(new float[] { -2, 1, 3, 4 }, normal);
        var neox = new float[] { 1, 2, 3, 4 };
        Rope.Apply(neox, 4, cos, sin, RopeLayout.Neox);
        Assert.Equal(new float[] { -3, 2, 1, 4 }, neox);
    }

    [Fact]
    public void Partial_rotary_leaves_the_trailing_dimensions_alone()
    {
        var frequencies = RopeFrequencies.Ggml(10000f, 32, RopeScaling.None);
        float[] cos = new float[16], sin = new float[16];
        frequencies.Compute(5, cos, sin);
        var x = Floats(2 * 64, 9);
        var y = (float[])x.Clone();
        Rope.Apply(y, 64, cos, sin, RopeLayout.Neox);
        for (var h = 0; h < 2; h++)
        {
            Assert.Equal(x.AsSpan(h * 64 + 32, 32).ToArray(), y.AsSpan(h * 64 + 32, 32).ToArray());
        }
    }

    private sealed class Case(float[] x, int headDim, float[] cos, float[] sin, RopeLayout layout) : IWidthCase
    {
        public float[] X => x;

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            fixed (float* px = x, pc = cos, ps = sin)
            {
                Rope.Apply<TS, TF, TI>(px, x.Length, headDim, pc, ps, cos.Length, layout);
            }
        }
    }
}

public sealed class RopeFrequenciesTests
{
    [Fact]
    public void Ggml_angles_follow_the_iterated_theta_scale()
    {
        var f = RopeFrequencies.Ggml(10000f, 64, RopeScaling.None);
        float[] cos = new float[32], sin = new float[32];
        f.Compute(0, cos, sin);
        Assert.All(cos, c => Assert.Equal(1f, c));
        Assert.All(sin, s => Assert.Equal(0f, s));

        f.Compute(7, cos, sin);
        var thetaScale = MathF.Pow(10000f, -2f / 64);
        var theta = 7f;
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(MathF.Cos(theta), cos[i]);
            Assert.Equal(MathF.Sin(theta), sin[i]);
            Assert.Equal(Math.Cos(7 * Math.Pow(10000, -2.0 * i / 64)), cos[i], 5);
            theta *= thetaScale;
        }
    }

    [Fact]
    public void Linear_scaling_divides_the_position_in_both_conventions()
    {
        float[] cos = new float[8], sin = new float[8], cos2 = new float[8], sin2 = new float[8];
        RopeFrequencies.Ggml(10000f, 16, RopeScaling.Linear(4f)).Compute(40, cos, sin);
        RopeFrequencies.Ggml(10000f, 16, RopeScaling.None).Compute(10, cos2, sin2);
        Assert.Equal(cos2[0], cos[0]); // pair 0: θ = position exactly, so 40/4 == 10
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(cos2[i], cos[i], 5);
        }
        RopeFrequencies.HuggingFace(10000f, 16, RopeScaling.Linear(4f)).Compute(40, cos, sin);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(cos2[i], cos[i], 5);
            Assert.Equal(sin2[i], sin[i], 5);
        }
    }

    [Fact]
    public void Llama3_scaling_keeps_high_frequencies_divides_low_ones_and_blends_between()
    {
        // Llama 3.1 8B: base 500000, head 128, factor 8, low 1, high 4, original context 8192.
        var scaling = RopeScaling.Llama3(8f, 1f, 4f, 8192);
        var ggml = RopeFrequencies.Ggml(500000f, 128, scaling);
        var hf = RopeFrequencies.HuggingFace(500000f, 128, scaling);
        var plain = RopeFrequencies.HuggingFace(500000f, 128, RopeScaling.None);
        float[] c = new float[64], s = new float[64];
        var (ggmlAngles, hfAngles, plainAngles) = (Angles(ggml), Angles(hf), Angles(plain));
        for (var i = 0; i < 64; i++)
        {
            var wavelength = 2 * Math.PI / Math.Pow(500000, -2.0 * i / 128);
            var ratio = plainAngles[i] / hfAngles[i];
            if (wavelength < 2048)
            {
                Assert.Equal(1.0, ratio, 5);
            }
            else if (wavelength > 8192)
            {
                Assert.Equal(8.0, ratio, 4);
            }
            else
            {
                var smooth = (8192 / wavelength - 1) / 3;
                Assert.Equal(1 / ((1 - smooth) / 8 + smooth), ratio, 3);
            }
            Assert.Equal(hfAngles[i], ggmlAngles[i], Math.Abs(hfAngles[i]) * 1e-5);
        }

        static double[] Angles(RopeFrequencies f)
        {
            // The angle at position 1000, recovered from its sine and cosine.
            float[] cos = new float[f.Pairs], sin = new float[f.Pairs];
            f.Compute(1, cos, sin);
            return cos.Select((v, i) => Math.Atan2(sin[i], v)).ToArray();
        }
    }

    [Fact]
    public void Ggml_uses_a_files_rope_freqs_factors_when_given()
    {
        var factors = Enumerable.Range(0, 4).Select(i => 1f + i).ToArray();
        float[] cos = new float[4], sin = new float[4];
        RopeFrequencies.Ggml(10000f, 8, RopeScaling.None, factors).Compute(3, cos, sin);
        Assert.Equal(MathF.Cos(3f / 1f), cos[0]);
        Assert.Equal(MathF.Cos(3f * MathF.Pow(10000f, -2f / 8) / 2f), cos[1]);
        Assert.Throws<ArgumentException>(() => RopeFrequencies.Ggml(10000f, 8, RopeScaling.None, new float[3]));
    }
}
