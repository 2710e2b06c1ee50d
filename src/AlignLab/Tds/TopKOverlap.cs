namespace AlignLab.Tds;

/// <summary>
/// The published top-k comparisons of two next-token distributions, from their top-k lists only (so they
/// also work for models that give no whole distributions): Jaccard index of the two id sets, weighted
/// overlap Σ p_base·p_aligned over the ids in both, and KL(aligned ‖ base) over the ids in both with each
/// side renormalised over them (null when no id is in both).
/// </summary>
public readonly record struct TopKOverlap(double Jaccard, double WeightedOverlap, double? Kl)
{
    public static TopKOverlap Of(ReadOnlySpan<int> alignedIds, ReadOnlySpan<float> alignedLogProbs, ReadOnlySpan<int> baseIds, ReadOnlySpan<float> baseLogProbs)
    {
        var common = 0;
        var weighted = 0.0;
        var alignedMass = 0.0;
        var baseMass = 0.0;
        for (var i = 0; i < alignedIds.Length; i++)
        {
            var j = baseIds.IndexOf(alignedIds[i]);
            if (j < 0)
            {
                continue;
            }
            common++;
            weighted += Math.Exp(alignedLogProbs[i]) * Math.Exp(baseLogProbs[j]);
            alignedMass += Math.Exp(alignedLogProbs[i]);
            baseMass += Math.Exp(baseLogProbs[j]);
        }
        var union = alignedIds.Length + baseIds.Length - common;
        var jaccard = union == 0 ? 0 : (double)common / union;
        return new TopKOverlap(jaccard, weighted, common == 0 ? null : IntersectionKl(alignedIds, alignedLogProbs, baseIds, baseLogProbs, Math.Log(alignedMass), Math.Log(baseMass)));
    }

    /// <summary>Σ p̃_a (log p̃_a − log p̃_b) over the common ids, p̃ = p / (its mass over them), in log space so equal inputs give exactly 0.</summary>
    private static double IntersectionKl(ReadOnlySpan<int> alignedIds, ReadOnlySpan<float> alignedLogProbs, ReadOnlySpan<int> baseIds, ReadOnlySpan<float> baseLogProbs,
        double logAlignedMass, double logBaseMass)
    {
        var kl = 0.0;
        for (var i = 0; i < alignedIds.Length; i++)
        {
            var j = baseIds.IndexOf(alignedIds[i]);
            if (j >= 0)
            {
                var a = alignedLogProbs[i] - logAlignedMass;
                var b = baseLogProbs[j] - logBaseMass;
                kl += Math.Exp(a) * (a - b);
            }
        }
        return kl;
    }
}
