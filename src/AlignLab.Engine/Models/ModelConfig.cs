namespace AlignLab.Engine.Models;

/// <summary>
/// The hyperparameters of a decoder, independent of the file format they came from
/// (Hugging Face config.json or GGUF metadata). Build one with a reader, which validates it.
/// </summary>
public sealed record ModelConfig
{
    public required ModelArchitecture Architecture { get; init; }

    public required int VocabSize { get; init; }

    public required int HiddenSize { get; init; }

    /// <summary>The width of the gated feed-forward layer.</summary>
    public required int IntermediateSize { get; init; }

    public required int LayerCount { get; init; }

    public required int HeadCount { get; init; }

    /// <summary>Key/value heads; fewer than <see cref="HeadCount"/> means grouped-query attention.</summary>
    public required int KvHeadCount { get; init; }

    /// <summary>Per-head width. Usually hidden / heads, but Qwen3 sets it independently.</summary>
    public required int HeadDim { get; init; }

    /// <summary>The trained context length (<c>max_position_embeddings</c>).</summary>
    public required int ContextLength { get; init; }

    public required double RmsNormEps { get; init; }

    public required double RopeTheta { get; init; }

    public RopeScaling RopeScaling { get; init; } = RopeScaling.None;

    /// <summary>The output projection reuses the token embedding matrix (no separate lm_head / output tensor).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Q, K and V projections have biases.</summary>
    public bool QkvBias { get; init; }

    /// <summary>The attention output projection (o_proj) has a bias.</summary>
    public bool OutputProjectionBias { get; init; }

    /// <summary>Attention window in tokens, when the architecture uses one (Mistral v0.1).</summary>
    public int? SlidingWindow { get; init; }

    public int? BosTokenId { get; init; }

    /// <summary>Every id that ends generation; config.json may give one or a list.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>The checkpoint's declared weight type ("bfloat16", ...), when the format records one.</summary>
    public string? TorchDtype { get; init; }

    public ArchitectureSpec Spec => ArchitectureTable.Get(Architecture);

    /// <summary>Width of the concatenated query heads (rows of the Q projection).</summary>
    public int QueryWidth => HeadCount * HeadDim;

    /// <summary>Width of the concatenated key (or value) heads.</summary>
    public int KvWidth => KvHeadCount * HeadDim;
}
