using AlignLab.Embeddings;

namespace AlignLab.Pluralism;

/// <summary>Precision, recall and F1 of one BERTScore comparison (each within −1 to 1; 0 when a side has no tokens).</summary>
public readonly record struct BertScoreResult(double Precision, double Recall, double F1);

/// <summary>
/// BERTScore-style similarity of two texts from their contextual token vectors (unit length, see
/// <see cref="ITokenEmbedder"/>): greedy matching, each candidate token to its most similar reference token.
/// Precision is the mean over candidate tokens of the best cosine to a reference token, recall the same the other way,
/// F1 = 2PR/(P+R). As in BERTScore's default, no IDF weighting and no baseline rescaling are applied, so figures are
/// raw cosines of the chosen layer (high for any two texts of one model; compare them with the ceiling, not with 0).
/// F1 is symmetric, so one pair gives the same F1 whichever side is the candidate.
/// </summary>
public static class BertScore
{
    public static BertScoreResult Compare(IReadOnlyList<float[]> candidate, IReadOnlyList<float[]> reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (candidate.Count == 0 || reference.Count == 0)
        {
            // An empty answer matches nothing; BERTScore's reference code also scores it 0.
            return new BertScoreResult(0, 0, 0);
        }
        var precision = MeanBestMatch(candidate, reference);
        var recall = MeanBestMatch(reference, candidate);
        var sum = precision + recall;
        return new BertScoreResult(precision, recall, sum == 0 ? 0 : 2 * precision * recall / sum);
    }

    /// <summary>The mean over <paramref name="from"/> of each vector's largest cosine with a vector of <paramref name="to"/>.</summary>
    private static double MeanBestMatch(IReadOnlyList<float[]> from, IReadOnlyList<float[]> to)
        => from.Average(a => to.Max(b => UnitVector.Dot(a, b)));
}
