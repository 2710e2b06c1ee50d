using AlignLab.Engine.Inference;

namespace AlignLab.Backends;

/// <summary>What <see cref="ILanguageModel.Score"/> keeps for each scored position.</summary>
public sealed record ScoreRequest
{
    /// <summary>How many of the most likely next tokens to keep per position (0 for none).</summary>
    public int TopK { get; init; } = 10;

    /// <summary>
    /// Keep every scored position's full log-probability row ([positions × vocab] floats: large); only
    /// for models with <see cref="ILanguageModel.HasFullDistribution"/>.
    /// </summary>
    public bool KeepFullLogProbs { get; init; }

    /// <summary>
    /// Sees each position's full row as it is computed, without keeping it (so two models can be compared
    /// while only one matrix is held); only for models with <see cref="ILanguageModel.HasFullDistribution"/>.
    /// May also be called for the last position, which has no next token.
    /// </summary>
    public LogProbsCallback? OnFullLogProbs { get; init; }

    public bool NeedsFullDistribution => KeepFullLogProbs || OnFullLogProbs is not null;
}
