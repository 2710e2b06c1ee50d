using System.Globalization;

namespace AlignLab.Engine.Models;

/// <summary>A size that a tensor dimension is measured in, resolved against a <see cref="ModelConfig"/>.</summary>
public enum TensorDim
{
    Vocab,
    Hidden,
    FeedForward,
    QueryWidth,
    KvWidth,
    HeadDim,
    HalfHeadDim,
}

/// <summary>Which head count a Q/K tensor's rows are grouped by, for the RoPE row permutation.</summary>
public enum RopeRows
{
    None,
    QueryHeads,
    KeyHeads,
}

/// <summary>
/// One row of the tensor-name table. Names with <c>{i}</c> are per layer. <see cref="Shape"/> is in
/// PyTorch order (outermost first: [out, in] for a linear weight); a GGUF file lists the same
/// dimensions reversed.
/// </summary>
/// <param name="Role">What the tensor does.</param>
/// <param name="Gguf">llama.cpp's name (<c>tensor_mapping.py</c>), or null when GGUF has none.</param>
/// <param name="Hf">The transformers state-dict name, or null when the checkpoint has none.</param>
/// <param name="Shape">The expected dimensions.</param>
/// <param name="Rope">Whether rows are RoPE-ordered and so depend on the file's <see cref="RopeLayout"/>.</param>
public sealed record TensorNameEntry(TensorRole Role, string? Gguf, string? Hf, TensorDim[] Shape, RopeRows Rope = RopeRows.None)
{
    public bool PerLayer => (Gguf ?? Hf)!.Contains("{i}", StringComparison.Ordinal);

    /// <summary>The name for <paramref name="naming"/> and <paramref name="layer"/>, or null when that format has no such tensor.</summary>
    public string? Name(TensorNaming naming, int layer)
        => (naming == TensorNaming.Gguf ? Gguf : Hf)?.Replace("{i}", layer.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public long[] ResolveShape(ModelConfig c) => [.. Shape.Select(d => (long)(d switch
    {
        TensorDim.Vocab => c.VocabSize,
        TensorDim.Hidden => c.HiddenSize,
        TensorDim.FeedForward => c.IntermediateSize,
        TensorDim.QueryWidth => c.QueryWidth,
        TensorDim.KvWidth => c.KvWidth,
        TensorDim.HeadDim => c.HeadDim,
        _ => c.HeadDim / 2,
    }))];
}

/// <summary>
/// Tensor names of the supported decoders in both formats, as data. The four architectures share
/// names; which optional rows a model has (biases, Q/K norms, separate output) comes from its
/// <see cref="ModelConfig"/> via <see cref="Expected"/>.
/// </summary>
public static class TensorNameTable
{
    private const string L = "model.layers.{i}.";

    public static IReadOnlyList<TensorNameEntry> Entries { get; } =
    [
        new(TensorRole.TokenEmbedding, "token_embd.weight", "model.embed_tokens.weight", [TensorDim.Vocab, TensorDim.Hidden]),
        new(TensorRole.OutputNorm, "output_norm.weight", "model.norm.weight", [TensorDim.Hidden]),
        new(TensorRole.Output, "output.weight", "lm_head.weight", [TensorDim.Vocab, TensorDim.Hidden]),
        // llama.cpp's converter bakes llama3 RoPE scaling into per-dimension divisors; checkpoints have no such tensor.
        new(TensorRole.RopeFrequencies, "rope_freqs.weight", null, [TensorDim.HalfHeadDim]),
        new(TensorRole.AttentionNorm, "blk.{i}.attn_norm.weight", L + "input_layernorm.weight", [TensorDim.Hidden]),
        new(TensorRole.AttentionQuery, "blk.{i}.attn_q.weight", L + "self_attn.q_proj.weight", [TensorDim.QueryWidth, TensorDim.Hidden], RopeRows.QueryHeads),
        new(TensorRole.AttentionKey, "blk.{i}.attn_k.weight", L + "self_attn.k_proj.weight", [TensorDim.KvWidth, TensorDim.Hidden], RopeRows.KeyHeads),
        new(TensorRole.AttentionValue, "blk.{i}.attn_v.weight", L + "self_attn.v_proj.weight", [TensorDim.KvWidth, TensorDim.Hidden]),
        new(TensorRole.AttentionOutput, "blk.{i}.attn_output.weight", L + "self_attn.o_proj.weight", [TensorDim.Hidden, TensorDim.QueryWidth]),
        new(TensorRole.AttentionQueryBias, "blk.{i}.attn_q.bias", L + "self_attn.q_proj.bias", [TensorDim.QueryWidth], RopeRows.QueryHeads),
        new(TensorRole.AttentionKeyBias, "blk.{i}.attn_k.bias", L + "self_attn.k_proj.bias", [TensorDim.KvWidth], RopeRows.KeyHeads),
        new(TensorRole.AttentionValueBias, "blk.{i}.attn_v.bias", L + "self_attn.v_proj.bias", [TensorDim.KvWidth]),
        new(TensorRole.AttentionOutputBias, "blk.{i}.attn_output.bias", L + "self_attn.o_proj.bias", [TensorDim.Hidden]),
        new(TensorRole.AttentionQueryNorm, "blk.{i}.attn_q_norm.weight", L + "self_attn.q_norm.weight", [TensorDim.HeadDim]),
        new(TensorRole.AttentionKeyNorm, "blk.{i}.attn_k_norm.weight", L + "self_attn.k_norm.weight", [TensorDim.HeadDim]),
        new(TensorRole.FeedForwardNorm, "blk.{i}.ffn_norm.weight", L + "post_attention_layernorm.weight", [TensorDim.Hidden]),
        new(TensorRole.FeedForwardGate, "blk.{i}.ffn_gate.weight", L + "mlp.gate_proj.weight", [TensorDim.FeedForward, TensorDim.Hidden]),
        new(TensorRole.FeedForwardUp, "blk.{i}.ffn_up.weight", L + "mlp.up_proj.weight", [TensorDim.FeedForward, TensorDim.Hidden]),
        new(TensorRole.FeedForwardDown, "blk.{i}.ffn_down.weight", L + "mlp.down_proj.weight", [TensorDim.Hidden, TensorDim.FeedForward]),
    ];

    /// <summary>Per-layer roles every supported decoder has.</summary>
    private static readonly TensorRole[] LayerRoles =
    [
        TensorRole.AttentionNorm, TensorRole.AttentionQuery, TensorRole.AttentionKey, TensorRole.AttentionValue,
        TensorRole.AttentionOutput, TensorRole.FeedForwardNorm, TensorRole.FeedForwardGate, TensorRole.FeedForwardUp,
        TensorRole.FeedForwardDown,
    ];

    /// <summary>Optional per-layer roles and the config switch that brings each in.</summary>
    private static readonly (Func<ModelConfig, bool> Present, TensorRole[] Roles)[] OptionalLayerRoles =
    [
        (c => c.QkvBias, [TensorRole.AttentionQueryBias, TensorRole.AttentionKeyBias, TensorRole.AttentionValueBias]),
        (c => c.OutputProjectionBias, [TensorRole.AttentionOutputBias]),
        (c => c.Spec.HasQkNorm, [TensorRole.AttentionQueryNorm, TensorRole.AttentionKeyNorm]),
    ];

    public static TensorNameEntry Get(TensorRole role) => Entries[(int)role];

    /// <summary>
    /// Every (role, layer) a model with this config must have; layer is -1 for whole-model tensors.
    /// <see cref="TensorRole.Output"/> is left out when the embeddings are tied, and the optional
    /// GGUF-only <see cref="TensorRole.RopeFrequencies"/> is never required.
    /// </summary>
    public static IEnumerable<(TensorRole Role, int Layer)> Expected(ModelConfig config)
    {
        yield return (TensorRole.TokenEmbedding, -1);
        yield return (TensorRole.OutputNorm, -1);
        if (!config.TieWordEmbeddings)
        {
            yield return (TensorRole.Output, -1);
        }
        var roles = LayerRoles.Concat(OptionalLayerRoles.Where(o => o.Present(config)).SelectMany(o => o.Roles)).ToArray();
        for (var layer = 0; layer < config.LayerCount; layer++)
        {
            foreach (var role in roles)
            {
                yield return (role, layer);
            }
        }
    }
}
