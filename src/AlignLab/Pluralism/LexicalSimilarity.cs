namespace AlignLab.Pluralism;

/// <summary>
/// How close one instruction's alternative answers are to the reference answers by the words they use: Jaccard of
/// stemmed content-word sets (<see cref="Words.ContentStems"/>), the diversity measures' lexical overlap. It needs no
/// model, so it is computed for every run, beside the embedding measures.
/// </summary>
public static class LexicalSimilarity
{
    /// <summary>Mean Jaccard over every (alternative sample, reference sample) pair.</summary>
    public static double ToReference(IReadOnlyList<string> alternative, IReadOnlyList<IReadOnlySet<string>> referenceStems)
    {
        ArgumentNullException.ThrowIfNull(alternative);
        var values = Pairs.Across([.. alternative.Select(Words.ContentStems)], referenceStems, DiversityMeasures.Jaccard);
        return values.Count == 0 ? throw new ArgumentException("no samples to compare") : values.Average();
    }

    /// <summary>The reference's own overlap, pairs of DIFFERENT samples only (as <see cref="EmbeddingSimilarity.Ceiling"/>); null with fewer than two.</summary>
    public static double? Ceiling(IReadOnlyList<IReadOnlySet<string>> referenceStems)
    {
        var values = Pairs.Within(referenceStems, DiversityMeasures.Jaccard);
        return values.Count == 0 ? null : values.Average();
    }
}
