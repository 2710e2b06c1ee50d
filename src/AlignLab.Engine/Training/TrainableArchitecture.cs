using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>
/// The decoders the trainer implements: Llama without biases, Q/K norms, sliding window or RoPE
/// scaling, with the output head tied to the token embedding.
/// </summary>
public static class TrainableArchitecture
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first thing the trainer cannot train.</summary>
    public static void Check(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Problem(config) is { } problem)
        {
            throw new ArgumentException($"the trainer cannot train this model: {problem}", nameof(config));
        }
    }

    /// <summary>What the trainer cannot train in <paramref name="config"/>, or null.</summary>
    public static string? Problem(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config switch
        {
            { Architecture: not (ModelArchitecture.Llama or ModelArchitecture.Mistral) } => $"architecture {config.Architecture} (only Llama)",
            { TieWordEmbeddings: false } => "an untied output head (only tied embeddings)",
            { QkvBias: true } or { OutputProjectionBias: true } => "attention biases",
            { SlidingWindow: not null } => "a sliding attention window",
            { RopeScaling.Kind: not RopeScalingKind.None } => "RoPE scaling",
            { HeadDim: var hd } when hd <= 0 || hd % 2 != 0 => $"head width {config.HeadDim} (must be positive and even)",
            { HeadCount: var h, KvHeadCount: var k } when k <= 0 || h % k != 0 => $"{config.HeadCount} heads are not a multiple of {config.KvHeadCount} key/value heads",
            { VocabSize: <= 0 } or { HiddenSize: <= 0 } or { IntermediateSize: <= 0 } or { LayerCount: <= 0 } or { ContextLength: <= 1 } => "a non-positive size",
            _ => null,
        };
    }
}
