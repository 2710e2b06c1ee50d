using AlignLab.Embeddings;

namespace AlignLab.Pluralism;

/// <summary>How close one instruction's alternative answers are to the reference (aligned) answers, by embedding cosine.</summary>
public static class EmbeddingSimilarity
{
    /// <summary>Mean cosine over every (alternative sample, reference sample) pair.</summary>
    public static double ToReference(IReadOnlyList<float[]> alternative, IReadOnlyList<float[]> reference)
    {
        var values = Pairs.Across(alternative, reference, (a, b) => UnitVector.Dot(a, b));
        return values.Count == 0 ? throw new ArgumentException("no samples to compare") : values.Average();
    }

    /// <summary>
    /// The reference's similarity to itself, the ceiling an alternative is compared with: mean cosine over pairs of
    /// DIFFERENT reference samples only. (The published code also averaged in each sample's similarity with itself,
    /// 1 by definition, which raised the ceiling.) Null with fewer than two samples.
    /// </summary>
    public static double? Ceiling(IReadOnlyList<float[]> reference)
    {
        var values = Pairs.Within(reference, (a, b) => UnitVector.Dot(a, b));
        return values.Count == 0 ? null : values.Average();
    }
}
