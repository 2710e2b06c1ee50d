namespace AlignLab.Engine.Models;

/// <summary>What a weight tensor does in the decoder, independent of what a file calls it.</summary>
public enum TensorRole
{
    TokenEmbedding,
    OutputNorm,
    Output,
    RopeFrequencies,
    AttentionNorm,
    AttentionQuery,
    AttentionKey,
    AttentionValue,
    AttentionOutput,
    AttentionQueryBias,
    AttentionKeyBias,
    AttentionValueBias,
    AttentionOutputBias,
    AttentionQueryNorm,
    AttentionKeyNorm,
    FeedForwardNorm,
    FeedForwardGate,
    FeedForwardUp,
    FeedForwardDown,
}
