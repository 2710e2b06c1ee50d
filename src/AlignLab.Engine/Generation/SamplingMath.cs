using System.Runtime.Intrinsics;

namespace AlignLab.Engine.Generation;

/// <summary>
/// Arithmetic the sampler's choices depend on, written with IEEE basic operations only (no fused
/// multiply-add, no library calls) so that the same logits and seed pick the same token everywhere
/// (Math.Exp is the platform C library's, whose last bit may differ between systems).
/// </summary>
internal static class SamplingMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;

    /// <summary>Below this exponent a weight counts as 0 (e^−708 ≈ 3e−308: nothing a draw could pick).</summary>
    private const double Underflow = -708;

    /// <summary>
    /// e^x for x ≤ 0 (the sampler's exponents are logits minus their maximum), relative error below 1e-15,
    /// 0 below e^−708: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series to degree 13, times 2^k
    /// built from its bits. <see cref="Weights"/> computes the same values four at a time.
    /// </summary>
    public static double Exp(double x)
    {
        if (!(x >= Underflow))
        {
            return 0;
        }
        var k = Math.Round(x * InvLn2);
        var r = x - (k * Ln2Hi) - (k * Ln2Lo);
        return Polynomial(r) * BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);
    }

    /// <summary>
    /// weights[i] = Exp((logits[i] − max) / temperature), vectorised where the hardware allows with the very
    /// same operations per element, so every machine gets the same bits; returns their sum, added in index order.
    /// </summary>
    public static double Weights(ReadOnlySpan<float> logits, double max, double temperature, Span<double> weights)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (vmax, vt) = (Vector256.Create(max), Vector256.Create(temperature));
            var magic = Vector256.Create(1023.0 + (1L << 52)); // k + magic holds k + 1023 in its low mantissa bits
            for (; i + 8 <= logits.Length; i += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(logits.Slice(i, 8)));
                ExpVector((lower - vmax) / vt, magic).CopyTo(weights.Slice(i, 4));
                ExpVector((upper - vmax) / vt, magic).CopyTo(weights.Slice(i + 4, 4));
            }
        }
        for (; i < logits.Length; i++)
        {
            weights[i] = Exp((logits[i] - max) / temperature);
        }
        var total = 0.0;
        foreach (var w in weights[..logits.Length])
        {
            total += w;
        }
        return total;
    }

    private static Vector256<double> ExpVector(Vector256<double> x, Vector256<double> magic)
    {
        var k = Vector256.Round(x * Vector256.Create(InvLn2));
        var r = x - (k * Vector256.Create(Ln2Hi)) - (k * Vector256.Create(Ln2Lo));
        var scale = Vector256.ShiftLeft((k + magic).AsInt64(), 52).AsDouble();
        var result = Polynomial(r) * scale;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(Underflow)), result, Vector256<double>.Zero);
    }

    /// <summary>Horner form of Σ r^n / n!, n ≤ 13: the truncation error is below 4e-18 for |r| ≤ 0.35.</summary>
    private static double Polynomial(double r)
    {
        var p = 1.0 / 6227020800;
        p = (p * r) + (1.0 / 479001600);
        p = (p * r) + (1.0 / 39916800);
        p = (p * r) + (1.0 / 3628800);
        p = (p * r) + (1.0 / 362880);
        p = (p * r) + (1.0 / 40320);
        p = (p * r) + (1.0 / 5040);
        p = (p * r) + (1.0 / 720);
        p = (p * r) + (1.0 / 120);
        p = (p * r) + (1.0 / 24);
        p = (p * r) + (1.0 / 6);
        p = (p * r) + 0.5;
        p = (p * r) + 1;
        return (p * r) + 1;
    }

    /// <inheritdoc cref="Polynomial(double)"/>
    private static Vector256<double> Polynomial(Vector256<double> r)
    {
        var p = Vector256.Create(1.0 / 6227020800);
        p = (p * r) + Vector256.Create(1.0 / 479001600);
        p = (p * r) + Vector256.Create(1.0 / 39916800);
        p = (p * r) + Vector256.Create(1.0 / 3628800);
        p = (p * r) + Vector256.Create(1.0 / 362880);
        p = (p * r) + Vector256.Create(1.0 / 40320);
        p = (p * r) + Vector256.Create(1.0 / 5040);
        p = (p * r) + Vector256.Create(1.0 / 720);
        p = (p * r) + Vector256.Create(1.0 / 120);
        p = (p * r) + Vector256.Create(1.0 / 24);
        p = (p * r) + Vector256.Create(1.0 / 6);
        p = (p * r) + Vector256.Create(0.5);
        p = (p * r) + Vector256<double>.One;
        return (p * r) + Vector256<double>.One;
    }

    /// <summary>
    /// A key whose ascending order is the tokens' order from most to least likely: descending
    /// <paramref name="value"/>, then ascending id. Every key is distinct, so any sort gives one order.
    /// </summary>
    public static ulong OrderKey(float value, int id)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        // Monotone map of floats to unsigned integers (negative: flip all bits; positive: set the sign bit),
        // inverted so that larger values come first.
        var ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)~ordered << 32) | (uint)id;
    }

    public static int IdOf(ulong key) => (int)(uint)key;

    /// <summary>
    /// The nucleus of <paramref name="keys"/>: reorders them so that the first n are the most likely tokens
    /// (in key order) whose weights first sum to at least <paramref name="mass"/>, and returns n. Quickselect
    /// on the mass instead of a sort: linear on average, and only the last few candidates near the boundary
    /// are sorted. The first n come out in a fixed order (the same input gives the same order), not sorted.
    /// </summary>
    public static int SelectNucleus(Span<ulong> keys, ReadOnlySpan<double> weights, double mass)
    {
        const int SortBelow = 32;
        var (lo, hi) = (0, keys.Length); // keys[..lo] are in the nucleus; the boundary lies in [lo, hi)
        var before = 0.0;                // the weight of keys[..lo]
        while (hi - lo > SortBelow)
        {
            // Lomuto partition of [lo, hi) around the median of three, which ends at p.
            var mid = lo + ((hi - lo) / 2);
            var (a, b, c) = (keys[lo], keys[mid], keys[hi - 1]);
            var pivotAt = (a < b) == (b < c) ? mid : (b < a) == (a < c) ? lo : hi - 1;
            (keys[pivotAt], keys[hi - 1]) = (keys[hi - 1], keys[pivotAt]);
            var pivot = keys[hi - 1];
            var p = lo;
            var left = 0.0; // the weight of the keys below the pivot
            for (var i = lo; i < hi - 1; i++)
            {
                if (keys[i] < pivot)
                {
                    left += weights[IdOf(keys[i])];
                    (keys[i], keys[p]) = (keys[p], keys[i]);
                    p++;
                }
            }
            (keys[p], keys[hi - 1]) = (keys[hi - 1], keys[p]);
            if (before + left >= mass)
            {
                hi = p;
            }
            else if (before + left + weights[IdOf(pivot)] >= mass)
            {
                return p + 1;
            }
            else
            {
                before += left + weights[IdOf(pivot)];
                lo = p + 1;
            }
        }
        keys[lo..hi].Sort();
        for (var i = lo; i < hi; i++)
        {
            before += weights[IdOf(keys[i])];
            if (before >= mass)
            {
                return i + 1;
            }
        }
        return Math.Max(hi, 1);
    }

    /// <summary>
    /// Reorders <paramref name="keys"/> so that its <paramref name="k"/> smallest entries come first (in no
    /// particular order): quickselect with a median-of-three pivot, linear on average, no allocation.
    /// </summary>
    public static void SelectSmallest(Span<ulong> keys, int k)
    {
        var (lo, hi) = (0, keys.Length - 1);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            // Median of three to keys[mid].
            if (keys[mid] < keys[lo])
            {
                (keys[mid], keys[lo]) = (keys[lo], keys[mid]);
            }
            if (keys[hi] < keys[lo])
            {
                (keys[hi], keys[lo]) = (keys[lo], keys[hi]);
            }
            if (keys[hi] < keys[mid])
            {
                (keys[hi], keys[mid]) = (keys[mid], keys[hi]);
            }
            var pivot = keys[mid];
            var (i, j) = (lo, hi);
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }
                while (keys[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }
            // [lo, j] ≤ pivot ≤ [i, hi]; keep the side holding position k − 1.
            if (k - 1 <= j)
            {
                hi = j;
            }
            else if (k - 1 >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }
}
