namespace AlignLab.Reports;

/// <summary>How far the aligned model's token sits in the base model's ranking (TDS, Lin et al. 2023).</summary>
public enum TokenClass
{
    /// <summary>The base model's top choice too (rank 1).</summary>
    Unshifted = 0,

    /// <summary>Among the base model's next few choices.</summary>
    Marginal = 1,

    /// <summary>Further down the base model's ranking.</summary>
    Shifted = 2,
}
