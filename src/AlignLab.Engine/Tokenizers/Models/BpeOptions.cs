namespace AlignLab.Engine.Tokenizers.Models;

/// <summary>The BPE model settings of tokenizer.json (dropout is refused at load time).</summary>
internal sealed record BpeOptions
{
    public int? UnkId { get; init; }

    public bool FuseUnk { get; init; }

    public bool ByteFallback { get; init; }

    /// <summary>A pre-token that is already a vocabulary entry is emitted as is, without merging.</summary>
    public bool IgnoreMerges { get; init; }

    public string? ContinuingSubwordPrefix { get; init; }

    public string? EndOfWordSuffix { get; init; }
}
