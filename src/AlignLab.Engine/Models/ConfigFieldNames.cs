namespace AlignLab.Engine.Models;

/// <summary>
/// What each <see cref="ModelConfig"/> property is called in the file it was read from, so a
/// validation error names the field the user can actually find and fix.
/// </summary>
public sealed record ConfigFieldNames(
    string VocabSize,
    string HiddenSize,
    string IntermediateSize,
    string LayerCount,
    string HeadCount,
    string KvHeadCount,
    string HeadDim,
    string ContextLength,
    string RmsNormEps,
    string RopeTheta,
    string RopeScaling,
    string SlidingWindow,
    string BosTokenId,
    string EosTokenId)
{
    public static ConfigFieldNames HuggingFace { get; } = new(
        "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "num_key_value_heads", "head_dim", "max_position_embeddings", "rms_norm_eps", "rope_theta",
        "rope_scaling", "sliding_window", "bos_token_id", "eos_token_id");

    /// <summary>GGUF keys, prefixed with the file's <c>general.architecture</c>.</summary>
    public static ConfigFieldNames Gguf(string arch) => new(
        "tokenizer.ggml.tokens", $"{arch}.embedding_length", $"{arch}.feed_forward_length", $"{arch}.block_count",
        $"{arch}.attention.head_count", $"{arch}.attention.head_count_kv", $"{arch}.attention.key_length",
        $"{arch}.context_length", $"{arch}.attention.layer_norm_rms_epsilon", $"{arch}.rope.freq_base",
        $"{arch}.rope.scaling.factor", $"{arch}.attention.sliding_window", "tokenizer.ggml.bos_token_id",
        "tokenizer.ggml.eos_token_id");
}
