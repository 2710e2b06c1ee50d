using AlignLab.Engine.Generation;
using AlignLab.Engine.Tests.Inference.Fidelity;

namespace AlignLab.Engine.Tests.Inference.Generation;

/// <summary>The sampler on hand-made logits whose kept sets are worked out by hand.</summary>
public class SamplerTests
{
    /// <summary>Probabilities 1/2, 1/4, 1/8, 1/16, 1/16 on ids 3, 0, 4, 1, 2 (scrambled, so order is not id order).</summary>
    private static readonly float[] Halves = Logits((3, 0.5), (0, 0.25), (4, 0.125), (1, 0.0625), (2, 0.0625));

    private static float[] Logits(params (int Id, double P)[] probabilities)
    {
        var logits = new float[probabilities.Length];
        foreach (var (id, p) in probabilities)
        {
            logits[id] = (float)Math.Log(p);
        }
        return logits;
    }

    private static int[] Kept(float[] logits, SamplingOptions options, int[]? history = null)
        => [.. new Sampler(logits.Length, options).Candidates(logits, history ?? []).Select(c => c.Id)];

    [Fact]
    public void Greedy_takes_the_argmax_and_the_lower_id_on_a_tie()
    {
        var sampler = new Sampler(5, SamplingOptions.Greedy);
        Assert.Equal(3, sampler.Sample(Halves, []));
        Assert.Equal(1, sampler.Sample([0f, 2f, 1f, 2f, -1f], []));
        Assert.Equal([(1, 1.0)], sampler.Candidates([0f, 2f, 1f, 2f, -1f], []));
    }

    [Theory]
    [InlineData(0.4, new[] { 3 })]
    [InlineData(0.6, new[] { 3, 0 })]
    [InlineData(0.8, new[] { 3, 0, 4 })]
    [InlineData(0.9, new[] { 3, 0, 4, 1 })]
    [InlineData(0.95, new[] { 3, 0, 4, 1, 2 })]
    public void Top_p_keeps_the_most_likely_tokens_until_their_mass_reaches_p(double topP, int[] expected)
    {
        // Cumulative masses in order: 0.5, 0.75, 0.875, 0.9375, 1 — the token that crosses p is kept.
        Assert.Equal(expected, Kept(Halves, new SamplingOptions { Temperature = 1, TopP = topP }));
    }

    [Fact]
    public void Top_p_is_taken_after_the_temperature()
    {
        // T = 2: probabilities ∝ √p = 0.707, 0.5, 0.354, 0.25, 0.25 → 0.343, 0.243, 0.172, 0.121, 0.121;
        // cumulative 0.343, 0.586, 0.757: top-p 0.6 keeps three tokens where T = 1 keeps two.
        Assert.Equal([3, 0, 4], Kept(Halves, new SamplingOptions { Temperature = 2, TopP = 0.6 }));
        Assert.Equal([3, 0], Kept(Halves, new SamplingOptions { Temperature = 1, TopP = 0.6 }));
    }

    [Fact]
    public void Top_p_after_top_k_is_over_the_renormalised_top_k_mass()
    {
        // Top-3 renormalised: 0.571, 0.286, 0.143; cumulative 0.571, 0.857 ≥ 0.8 → two tokens.
        // Over the whole vocabulary 0.8 needs three (0.5, 0.75, 0.875).
        var both = new Sampler(5, new SamplingOptions { Temperature = 1, TopK = 3, TopP = 0.8 }).Candidates(Halves, []);
        Assert.Equal([3, 0], both.Select(c => c.Id));
        Assert.Equal(2.0 / 3, both[0].Probability, 6); // the logits are log p rounded to float
        Assert.Equal([3, 0, 4], Kept(Halves, new SamplingOptions { Temperature = 1, TopP = 0.8 }));
    }

    [Theory]
    [InlineData(0.6, new[] { 2, 4 })]
    [InlineData(0.45, new[] { 2, 4, 0 })]
    [InlineData(0.12, new[] { 2, 4, 0, 3 })]
    [InlineData(0.05, new[] { 2, 4, 0, 3, 1 })]
    public void Min_p_keeps_tokens_at_least_p_times_as_likely_as_the_first(double minP, int[] expected)
    {
        // 0.4, 0.3, 0.2, 0.06, 0.04 on ids 2, 4, 0, 3, 1: ratios to the first 1, 0.75, 0.5, 0.15, 0.1.
        var logits = Logits((2, 0.4), (4, 0.3), (0, 0.2), (3, 0.06), (1, 0.04));
        Assert.Equal(expected, Kept(logits, new SamplingOptions { Temperature = 1, MinP = minP }));
        Assert.Equal(expected.Take(2), Kept(logits, new SamplingOptions { Temperature = 1, MinP = minP, TopK = 2 }));
    }

    [Fact]
    public void Top_k_keeps_exactly_k_with_ties_to_the_lower_id_and_renormalises()
    {
        float[] logits = [1f, 3f, 2f, 3f, 2f, 0f];
        var kept = new Sampler(6, new SamplingOptions { Temperature = 1, TopK = 3 }).Candidates(logits, []);
        Assert.Equal([1, 3, 2], kept.Select(c => c.Id));
        var z = (2 * Math.Exp(3)) + Math.Exp(2);
        Assert.Equal([Math.Exp(3) / z, Math.Exp(3) / z, Math.Exp(2) / z], kept.Select(c => c.Probability), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1.0, kept.Sum(c => c.Probability), 12);
    }

    [Fact]
    public void Top_k_of_one_is_greedy_at_any_temperature()
    {
        var random = new NormalRandom(11);
        for (var trial = 0; trial < 50; trial++)
        {
            var logits = new float[300];
            random.Fill(logits, 2);
            var greedy = new Sampler(300, SamplingOptions.Greedy).Sample(logits, []);
            var topOne = new Sampler(300, new SamplingOptions { Temperature = 1.7, TopK = 1, Seed = (ulong)trial }).Sample(logits, []);
            Assert.Equal(greedy, topOne);
        }
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_each_seen_token_once()
    {
        float[] logits = [2f, -2f, 1f, 0f, -1f, 0.5f];
        var sampler = new Sampler(6, new SamplingOptions { RepetitionPenalty = 2 });
        var whole = logits.ToArray();
        sampler.PenalizeRepetitions(whole, [0, 1, 1, 4, 0, 3]);
        Assert.Equal([1f, -4f, 1f, 0f, -2f, 0.5f], whole);

        var windowed = logits.ToArray();
        new Sampler(6, new SamplingOptions { RepetitionPenalty = 2, RepetitionWindow = 2 }).PenalizeRepetitions(windowed, [0, 1, 1, 4, 0]);
        Assert.Equal([1f, -2f, 1f, 0f, -2f, 0.5f], windowed);

        // Greedy follows the penalised logits: penalty 2 takes id 0 from 2 to 1, level with id 2 (the lower id wins);
        // penalty 2.5 takes it to 0.8, behind id 2.
        Assert.Equal(0, sampler.Sample(logits, [0]));
        Assert.Equal(2, new Sampler(6, new SamplingOptions { RepetitionPenalty = 2.5 }).Sample(logits, [0]));
        Assert.Equal(0, new Sampler(6, SamplingOptions.Greedy).Sample(logits, [0]));
    }

    [Fact]
    public void Seeded_draws_repeat_for_a_seed_differ_across_seeds_and_follow_the_probabilities()
    {
        List<int> Draws(ulong seed, int count)
        {
            var sampler = new Sampler(5, new SamplingOptions { Temperature = 1, Seed = seed });
            return [.. Enumerable.Range(0, count).Select(_ => sampler.Sample(Halves, []))];
        }
        Assert.Equal(Draws(7, 200), Draws(7, 200));
        Assert.NotEqual(Draws(7, 200), Draws(8, 200));

        var draws = Draws(1, 40_000);
        foreach (var (id, p) in new[] { (3, 0.5), (0, 0.25), (4, 0.125), (1, 0.0625), (2, 0.0625) })
        {
            // Four standard deviations of a frequency over 40,000 draws is at most 0.01.
            Assert.Equal(p, draws.Count(d => d == id) / 40_000.0, 0.01);
        }
    }

    [Fact]
    public void Draws_come_only_from_the_kept_set()
    {
        var sampler = new Sampler(5, new SamplingOptions { Temperature = 1.5, TopP = 0.8, Seed = 3 });
        var kept = sampler.Candidates(Halves, []).Select(c => c.Id).ToHashSet();
        var draws = Enumerable.Range(0, 2000).Select(_ => sampler.Sample(Halves, [])).ToHashSet();
        Assert.Equal(kept, draws);
    }

    /// <summary>The kept set by the definition: sort everything, then cut.</summary>
    private static int[] ReferenceSet(float[] logits, SamplingOptions o)
    {
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToList();
        var max = logits.Max();
        var w = logits.Select(l => Math.Exp((l - (double)max) / o.Temperature)).ToArray();
        if (o.TopK > 0)
        {
            order = [.. order.Take(o.TopK)];
        }
        if (o.TopP < 1)
        {
            var mass = order.Sum(i => w[i]);
            var (cumulative, n) = (0.0, 0);
            while (n < order.Count && cumulative < o.TopP * mass)
            {
                cumulative += w[order[n++]];
            }
            order = [.. order.Take(n)];
        }
        return [.. order.TakeWhile(i => w[i] >= o.MinP)];
    }

    [Fact]
    public void Kept_sets_on_a_large_random_vocabulary_match_a_full_sort()
    {
        var random = new NormalRandom(5);
        var settings = new List<SamplingOptions>();
        foreach (var t in new[] { 0.3, 1.0, 2.5 })
        {
            settings.Add(new SamplingOptions { Temperature = t, TopK = 50 });
            settings.Add(new SamplingOptions { Temperature = t, TopP = 0.9 });
            settings.Add(new SamplingOptions { Temperature = t, TopP = 0.999 });
            settings.Add(new SamplingOptions { Temperature = t, MinP = 0.05 });
            settings.Add(new SamplingOptions { Temperature = t, TopK = 400, TopP = 0.7, MinP = 0.01 });
        }
        for (var trial = 0; trial < 4; trial++)
        {
            var logits = new float[20_000];
            random.Fill(logits, trial + 1);
            foreach (var o in settings)
            {
                Assert.Equal(ReferenceSet(logits, o), Kept(logits, o));
            }
        }
    }

    [Fact]
    public void The_random_numbers_are_xoshiro256_starstar_seeded_by_splitmix64()
    {
        // The reference C implementation (prng.di.unimi.it), state from splitmix64(42).
        var random = new SamplingRandom(42);
        Assert.Equal([0x15780B2E0C2EC716UL, 0x6104D9866D113A7EUL, 0xAE17533239E499A1UL],
            new[] { random.NextUInt64(), random.NextUInt64(), random.NextUInt64() });
    }

    [Fact]
    public void Own_exp_matches_the_library_to_within_two_units_in_the_last_place_over_the_normal_range()
    {
        for (var x = -708.0; x <= 0; x += 0.0137)
        {
            var expected = Math.Exp(x);
            Assert.True(Math.Abs(SamplingMath.Exp(x) - expected) <= 4.5e-16 * expected, $"exp({x})");
        }
        Assert.Equal(1.0, SamplingMath.Exp(0));
        Assert.Equal(0.0, SamplingMath.Exp(-708.5));
        Assert.Equal(0.0, SamplingMath.Exp(double.NegativeInfinity));
    }

    [Fact]
    public void Vectorised_weights_are_bit_for_bit_the_scalar_ones()
    {
        var random = new NormalRandom(2);
        var logits = new float[1003];
        random.Fill(logits, 30);
        var max = logits.Max();
        var weights = new double[logits.Length];
        foreach (var t in new[] { 0.05, 0.7, 1.0, 3.3 })
        {
            var total = SamplingMath.Weights(logits, max, t, weights);
            var sum = 0.0;
            for (var i = 0; i < logits.Length; i++)
            {
                var expected = SamplingMath.Exp((logits[i] - (double)max) / t);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(weights[i]));
                sum += expected;
            }
            Assert.Equal(sum, total);
            // At the lowest temperature some exponents fall below −708: those weights are 0 on both paths.
            Assert.Equal(t == 0.05, weights.Contains(0.0));
        }
    }

    [Fact]
    public void Sampling_allocates_nothing_per_token()
    {
        var random = new NormalRandom(4);
        var logits = new float[50_000];
        random.Fill(logits, 3);
        int[] history = [.. Enumerable.Range(0, 200).Select(i => i * 13)];
        foreach (var o in new[]
        {
            SamplingOptions.Greedy, new SamplingOptions { Temperature = 1 }, new SamplingOptions { Temperature = 0.8, TopP = 0.9 },
            new SamplingOptions { Temperature = 1, TopK = 40, TopP = 0.95, MinP = 0.05, RepetitionPenalty = 1.1 },
        })
        {
            var sampler = new Sampler(logits.Length, o);
            for (var i = 0; i < 50; i++)
            {
                sampler.Sample(logits, history); // warm up (tiered compilation allocates)
            }
            // A real per-draw allocation shows in every window; a one-off (a late tier-up) does not: one clean window of five passes.
            var windows = new List<long>();
            for (var window = 0; window < 5 && (windows.Count == 0 || windows[^1] != 0); window++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 20; i++)
                {
                    sampler.Sample(logits, history);
                }
                windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.True(windows[^1] == 0, "bytes allocated per window of 20 draws: " + string.Join(", ", windows));
        }
    }

    [Fact]
    public void Bad_settings_are_refused_in_one_line()
    {
        foreach (var o in new[]
        {
            new SamplingOptions { Temperature = -1 }, new SamplingOptions { Temperature = double.NaN },
            new SamplingOptions { TopP = 0 }, new SamplingOptions { TopP = 1.5 }, new SamplingOptions { MinP = -0.1 },
            new SamplingOptions { TopK = -1 }, new SamplingOptions { RepetitionPenalty = 0 },
        })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(5, o));
            Assert.DoesNotContain('\n', e.Message);
        }
    }
}
