using AlignLab.Embeddings;

namespace AlignLab.Pluralism;

/// <summary>
/// One instruction's samples of one set as vectors: pooled (for cosines) and per token (for BERTScore), each only when
/// its embedder is given; and the similarities built on them.
/// </summary>
internal sealed class SampleVectors
{
    private SampleVectors(IReadOnlyList<float[]>? pooled, IReadOnlyList<IReadOnlyList<float[]>>? tokens)
    {
        Pooled = pooled;
        Tokens = tokens;
    }

    public IReadOnlyList<float[]>? Pooled { get; }

    public IReadOnlyList<IReadOnlyList<float[]>>? Tokens { get; }

    public static SampleVectors Of(IReadOnlyList<string> samples, IEmbedder? embedder, ITokenEmbedder? tokenEmbedder)
        => new(embedder is null ? null : [.. embedder.EmbedAll(samples)], tokenEmbedder is null ? null : [.. samples.Select(tokenEmbedder.EmbedTokens)]);

    /// <summary>
    /// These (an alternative's) samples' similarity to <paramref name="reference"/>'s, each a mean over every
    /// (alternative sample, reference sample) pair: the embedding cosine and BERTScore precision, recall and F1.
    /// </summary>
    public IEnumerable<(string Name, double? Value)> SimilarityTo(SampleVectors reference)
    {
        if (Pooled is not null && reference.Pooled is not null)
        {
            yield return (PluralismMeasureRun.SimilarityName, EmbeddingSimilarity.ToReference(Pooled, reference.Pooled));
        }
        if (Tokens is not null && reference.Tokens is not null)
        {
            // A set has at least one sample per instruction (SampleSet), so there is at least one pair.
            var scores = Tokens.SelectMany(a => reference.Tokens.Select(b => BertScore.Compare(a, b))).ToList();
            yield return ("bertscore_precision", scores.Average(s => s.Precision));
            yield return ("bertscore_recall", scores.Average(s => s.Recall));
            yield return (PluralismMeasureRun.BertScoreF1Name, scores.Average(s => s.F1));
        }
    }

    /// <summary>The reference's mean cosine over pairs of DIFFERENT samples (see <see cref="EmbeddingSimilarity.Ceiling"/>).</summary>
    public double? CosineCeiling() => Pooled is null ? null : EmbeddingSimilarity.Ceiling(Pooled);

    /// <summary>The reference's mean BERTScore F1 over pairs of DIFFERENT samples: a sample is never compared with itself (F1 1 by definition).</summary>
    public double? BertScoreCeiling()
    {
        if (Tokens is null)
        {
            return null;
        }
        var values = Pairs.Within(Tokens, (a, b) => BertScore.Compare(a, b).F1);
        return values.Count == 0 ? null : values.Average();
    }
}
