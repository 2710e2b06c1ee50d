namespace AlignLab.Engine.Models;

public enum RopeScalingKind
{
    None,

    /// <summary>Positions divided by <see cref="RopeScaling.Factor"/> (transformers "linear").</summary>
    Linear,

    /// <summary>Llama 3.1's wavelength-dependent scaling (transformers "llama3").</summary>
    Llama3,

    /// <summary>
    /// Per-dimension frequency divisors stored as the <c>rope_freqs.weight</c> tensor: how llama.cpp's
    /// converter encodes llama3 scaling in GGUF, which keeps no llama3 parameters in its metadata.
    /// </summary>
    FrequencyFactors,
}

/// <summary>RoPE context extension. Fields that a kind does not use are zero.</summary>
public sealed record RopeScaling(
    RopeScalingKind Kind,
    double Factor = 0,
    double LowFreqFactor = 0,
    double HighFreqFactor = 0,
    int OriginalContextLength = 0)
{
    public static RopeScaling None { get; } = new(RopeScalingKind.None);
}
