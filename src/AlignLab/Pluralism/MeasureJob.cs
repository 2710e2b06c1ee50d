using AlignLab.Backends;
using AlignLab.Embeddings;
using AlignLab.Pluralism.Coverage;

namespace AlignLab.Pluralism;

/// <summary>The judge of a measure run's coverage questions, and how to ask it.</summary>
public sealed record CoverageJudgeJob(ILanguageModel Judge, CoverageSettings Settings);

/// <summary>Everything a <see cref="PluralismMeasureRun"/> needs: the sample sets, the optional embedders and judge, and the output folder.</summary>
public sealed record MeasureJob
{
    /// <summary>The reference (aligned) samples; every instruction of it is measured.</summary>
    public required SampleSet Reference { get; init; }

    public required IReadOnlyList<SampleSet> Alternatives { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>Pooled text vectors for the embedding cosines; null: none.</summary>
    public IEmbedder? Embedder { get; init; }

    /// <summary>Token vectors for BERTScore; null: BERTScore is skipped (noted in the summary when there is an <see cref="Embedder"/>).</summary>
    public ITokenEmbedder? TokenEmbedder { get; init; }

    /// <summary>The coverage judge; null: no coverage measures.</summary>
    public CoverageJudgeJob? Coverage { get; init; }

    /// <summary>The bootstrap's seed.</summary>
    public ulong Seed { get; init; }
}
