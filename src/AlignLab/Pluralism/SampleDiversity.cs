namespace AlignLab.Pluralism;

/// <summary>
/// How diverse one instruction's samples are. Pair measures are over pairs of different samples and are null
/// with fewer than two samples; rates are fractions of the samples.
/// </summary>
/// <param name="JaccardMean">Mean Jaccard similarity of the samples' stemmed content-word sets.</param>
/// <param name="JaccardMax">The most similar pair's Jaccard similarity.</param>
/// <param name="Distinct">distinct-1, distinct-2, distinct-3: unique word n-grams over all n-grams of all samples.</param>
/// <param name="MeanLength">Mean length in words.</param>
/// <param name="MeanLengthDifference">Mean absolute difference in words between two samples.</param>
/// <param name="DistinctPrefixRate">Distinct first-<see cref="DiversityMeasures.PrefixWords"/>-word prefixes over samples.</param>
/// <param name="RefusalRate">Samples with a refusal phrase (<see cref="Refusals"/>).</param>
/// <param name="ListRate">Samples formatted as a list (<see cref="ListFormat"/>).</param>
/// <param name="EmbeddingCosineMean">Mean cosine of the samples' embeddings; null without an embedder.</param>
public sealed record SampleDiversity(
    double? JaccardMean,
    double? JaccardMax,
    IReadOnlyList<double> Distinct,
    double MeanLength,
    double? MeanLengthDifference,
    double DistinctPrefixRate,
    double RefusalRate,
    double ListRate,
    double? EmbeddingCosineMean);
