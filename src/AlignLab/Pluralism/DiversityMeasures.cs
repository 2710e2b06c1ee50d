using AlignLab.Embeddings;

namespace AlignLab.Pluralism;

/// <summary>The diversity of one instruction's samples (issue 9's within-model measures), lexical and, given their embeddings, semantic.</summary>
public static class DiversityMeasures
{
    /// <summary>The n of distinct-n reported: 1 to this.</summary>
    public const int MaxNgram = 3;

    /// <summary>Words of the prefix whose variety <see cref="SampleDiversity.DistinctPrefixRate"/> counts.</summary>
    public const int PrefixWords = 5;

    /// <param name="embeddings">Unit vectors of the samples, in order (see <see cref="IEmbedder"/>), or null.</param>
    public static SampleDiversity Measure(IReadOnlyList<string> samples, IReadOnlyList<float[]>? embeddings = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("there are no samples to measure", nameof(samples));
        }
        if (embeddings is not null && embeddings.Count != samples.Count)
        {
            throw new ArgumentException($"{embeddings.Count} embeddings for {samples.Count} samples", nameof(embeddings));
        }
        var words = samples.Select(Words.Of).ToList();
        var jaccard = Pairs.Within(samples.Select(Words.ContentStems).ToList(), Jaccard);
        var lengthDifferences = Pairs.Within(words, (a, b) => Math.Abs(a.Count - b.Count));
        return new SampleDiversity(
            MeanOrNull(jaccard),
            jaccard.Count == 0 ? null : jaccard.Max(),
            [.. Enumerable.Range(1, MaxNgram).Select(n => DistinctN(words, n))],
            words.Average(w => w.Count),
            MeanOrNull(lengthDifferences),
            (double)words.Select(w => string.Join(' ', w.Take(PrefixWords))).Distinct(StringComparer.Ordinal).Count() / samples.Count,
            Rate(samples, Refusals.IsRefusal),
            Rate(samples, ListFormat.IsList),
            embeddings is null ? null : MeanOrNull(Pairs.Within(embeddings, (a, b) => UnitVector.Dot(a, b))));
    }

    /// <summary>|A ∩ B| / |A ∪ B|; two empty sets are identical (1).</summary>
    public static double Jaccard(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var union = a.Count + b.Count - a.Count(b.Contains);
        return union == 0 ? 1 : (double)(a.Count + b.Count - union) / union;
    }

    /// <summary>Unique word n-grams over all word n-grams of all the texts (each text's n-grams within it); 0 when there are none.</summary>
    public static double DistinctN(IReadOnlyList<IReadOnlyList<string>> texts, int n)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var all = texts.SelectMany(words => Enumerable.Range(0, Math.Max(0, words.Count - n + 1)).Select(i => string.Join(' ', words.Skip(i).Take(n)))).ToList();
        return all.Count == 0 ? 0 : (double)all.Distinct(StringComparer.Ordinal).Count() / all.Count;
    }

    private static double? MeanOrNull(IReadOnlyList<double> values) => values.Count == 0 ? null : values.Average();

    private static double Rate(IReadOnlyList<string> samples, Func<string, bool> test) => (double)samples.Count(test) / samples.Count;
}
