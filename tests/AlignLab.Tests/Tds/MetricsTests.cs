using AlignLab.Runs;
using AlignLab.Tds;

namespace AlignLab.Tests.Tds;

public sealed class MetricsTests
{
    [Fact]
    public void Top_k_overlaps_by_hand()
    {
        // aligned: ids 1, 2, 3 with p = .5, .3, .1; base: ids 2, 1, 9 with p = .4, .2, .1. Common: {1, 2}.
        int[] a = [1, 2, 3], b = [2, 1, 9];
        float[] pa = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.1f)], pb = [MathF.Log(0.4f), MathF.Log(0.2f), MathF.Log(0.1f)];
        var o = TopKOverlap.Of(a, pa, b, pb);
        Assert.Equal(2.0 / 4, o.Jaccard);
        Assert.Equal((0.5 * 0.2) + (0.3 * 0.4), o.WeightedOverlap, 1e-7);
        // Renormalised over the common ids: aligned (.625, .375), base (1/3, 2/3) for ids (1, 2).
        var expected = (0.625 * Math.Log(0.625 / (1.0 / 3))) + (0.375 * Math.Log(0.375 / (2.0 / 3)));
        Assert.Equal(expected, o.Kl!.Value, 1e-6);
    }

    [Fact]
    public void Disjoint_top_lists_have_no_top_k_kl_and_equal_ones_have_exactly_zero()
    {
        float[] p = [-0.1f, -2.5f];
        var disjoint = TopKOverlap.Of([1, 2], p, [3, 4], p);
        Assert.Equal((0.0, 0.0, (double?)null), (disjoint.Jaccard, disjoint.WeightedOverlap, disjoint.Kl));
        var same = TopKOverlap.Of([1, 2], p, [1, 2], p);
        Assert.Equal((1.0, 0.0), (same.Jaccard, same.Kl!.Value));
    }

    [Theory]
    [InlineData(1, 3, ShiftClass.Unshifted)]
    [InlineData(2, 3, ShiftClass.Marginal)]
    [InlineData(3, 3, ShiftClass.Marginal)]
    [InlineData(4, 3, ShiftClass.Shifted)]
    [InlineData(2, 1, ShiftClass.Shifted)]
    public void Classes_follow_the_rank_and_the_marginal_limit(int rank, int marginalMax, ShiftClass expected)
        => Assert.Equal(expected, ShiftClasses.Of(rank, marginalMax));

    [Fact]
    public void Percentiles_interpolate_linearly_as_numpy_does()
    {
        double[] sorted = [1, 2, 3, 4, 5];
        Assert.Equal(1.1, Bootstrap.Percentile(sorted, 0.025), 1e-12); // h = 0.1
        Assert.Equal(4.9, Bootstrap.Percentile(sorted, 0.975), 1e-12);
        Assert.Equal(3, Bootstrap.Percentile(sorted, 0.5));
    }

    [Fact]
    public void Bootstrap_intervals_depend_only_on_the_seed_and_shrink_to_a_point_for_identical_examples()
    {
        var examples = Enumerable.Range(0, 30).Select(i =>
        {
            var c = new ClassCounts();
            for (var j = 0; j < 10; j++)
            {
                c.Add(j < i % 7 ? ShiftClass.Shifted : ShiftClass.Unshifted);
            }
            return c;
        }).ToList();
        var first = Bootstrap.RatioIntervals(examples, 1);
        Assert.Equal(first, Bootstrap.RatioIntervals(examples, 1));
        Assert.NotEqual(first[ShiftClass.Shifted], Bootstrap.RatioIntervals(examples, 2)[ShiftClass.Shifted]);
        Assert.True(first[ShiftClass.Shifted].Low < first[ShiftClass.Shifted].High);
        var same = Bootstrap.RatioIntervals([.. Enumerable.Repeat(examples[3], 5)], 1);
        Assert.Equal((0.3, 0.3), same[ShiftClass.Shifted]);
        Assert.Equal((0.0, 0.0), Bootstrap.RatioIntervals([], 1)[ShiftClass.Marginal]);
    }

    [Fact]
    public void Csv_fields_are_quoted_as_rfc_4180_says()
    {
        var text = new StringWriter();
        var csv = new CsvWriter(text);
        csv.Field("plain").Field("a,b").Field("say \"hi\"").Field("two\nlines").Field(" padded").Field((string?)null).Field(0.1).Field(42).EndLine();
        csv.Field("x").EndLine();
        Assert.Equal("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",,0.1,42\r\nx\r\n", text.ToString());
    }

    [Fact]
    public void Aligned_names_are_safe_and_unique()
    {
        var names = AlignedNames.For(["org/Model-7B@main", "org/Model-7B@main", "../x y.gguf", ".hidden"]);
        Assert.Equal(["org--Model-7B_main", "org--Model-7B_main-2", "model..--x_y.gguf", "model.hidden"], names);
    }
}
