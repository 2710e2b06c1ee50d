namespace AlignLab.Engine.Generation;

/// <summary>
/// Arithmetic the sampler's choices depend on, written with IEEE basic operations only so that the
/// same logits and seed pick the same token everywhere (Math.Exp is the platform C library's, whose
/// last bit may differ between systems).
/// </summary>
internal static class SamplingMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;

    /// <summary>
    /// e^x for x ≤ 0 (the sampler's exponents are logits minus their maximum), relative error below 1e-15:
    /// x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series to degree 13, then scaled by 2^k exactly.
    /// </summary>
    public static double Exp(double x)
    {
        if (x < -745.2)
        {
            return 0;
        }
        if (x > 0)
        {
            // Not used by the sampler (exponents are ≤ 0); kept exact in intent for completeness.
            return 1 / Exp(-x);
        }
        var k = Math.Round(x * InvLn2);
        var r = x - (k * Ln2Hi) - (k * Ln2Lo);
        // Horner form of Σ r^n / n!, n ≤ 13: the truncation error is below 4e-18 for |r| ≤ 0.35.
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
        p = (p * r) + 1;
        return Math.ScaleB(p, (int)k);
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
