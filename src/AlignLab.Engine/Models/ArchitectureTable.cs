namespace AlignLab.Engine.Models;

/// <summary>
/// What distinguishes one supported architecture from another, as data.
/// </summary>
/// <param name="Architecture">The family this row describes.</param>
/// <param name="HfClass">The <c>architectures[0]</c> value of a Hugging Face config.json.</param>
/// <param name="GgufName">
/// The <c>general.architecture</c> llama.cpp's converter writes. Mistral is converted as <c>llama</c>,
/// so a GGUF file never reads back as <see cref="ModelArchitecture.Mistral"/>.
/// </param>
/// <param name="GgufRopeLayout">
/// The RoPE llama.cpp applies for <see cref="GgufName"/> (llama.cpp's <c>llama_model_rope_type</c>):
/// <c>llama</c> is NORM (adjacent pairs), so the converter permutes Q/K rows; <c>qwen2</c> and
/// <c>qwen3</c> are NEOX (half rotation), so their rows are stored as in the Hugging Face checkpoint.
/// </param>
/// <param name="AlwaysQkvBias">Qwen2 has Q/K/V biases unconditionally; the others follow <c>attention_bias</c>.</param>
/// <param name="OutputProjectionBiasFollowsConfig">Whether <c>attention_bias</c> also gives o_proj a bias (not in Qwen2).</param>
/// <param name="HasQkNorm">Qwen3 normalises each Q and K head before RoPE.</param>
/// <param name="HasSlidingWindow">Mistral's <c>sliding_window</c> is honoured (Qwen's is off unless opted in, and ignored here).</param>
/// <param name="DefaultContextLength">transformers' default <c>max_position_embeddings</c> for the class.</param>
public sealed record ArchitectureSpec(
    ModelArchitecture Architecture,
    string HfClass,
    string GgufName,
    RopeLayout GgufRopeLayout,
    bool AlwaysQkvBias,
    bool OutputProjectionBiasFollowsConfig,
    bool HasQkNorm,
    bool HasSlidingWindow,
    int DefaultContextLength);

/// <summary>The supported architectures and lookups by their Hugging Face and GGUF names.</summary>
public static class ArchitectureTable
{
    public static IReadOnlyList<ArchitectureSpec> All { get; } =
    [
        new(ModelArchitecture.Llama, "LlamaForCausalLM", "llama", RopeLayout.AdjacentPairs,
            AlwaysQkvBias: false, OutputProjectionBiasFollowsConfig: true, HasQkNorm: false, HasSlidingWindow: false, DefaultContextLength: 2048),
        new(ModelArchitecture.Mistral, "MistralForCausalLM", "llama", RopeLayout.AdjacentPairs,
            AlwaysQkvBias: false, OutputProjectionBiasFollowsConfig: false, HasQkNorm: false, HasSlidingWindow: true, DefaultContextLength: 131072),
        new(ModelArchitecture.Qwen2, "Qwen2ForCausalLM", "qwen2", RopeLayout.HalfRotation,
            AlwaysQkvBias: true, OutputProjectionBiasFollowsConfig: false, HasQkNorm: false, HasSlidingWindow: false, DefaultContextLength: 32768),
        new(ModelArchitecture.Qwen3, "Qwen3ForCausalLM", "qwen3", RopeLayout.HalfRotation,
            AlwaysQkvBias: false, OutputProjectionBiasFollowsConfig: true, HasQkNorm: true, HasSlidingWindow: false, DefaultContextLength: 32768),
    ];

    public static ArchitectureSpec Get(ModelArchitecture architecture) => All.First(a => a.Architecture == architecture);

    public static ArchitectureSpec? FromHfClass(string hfClass) => All.FirstOrDefault(a => a.HfClass == hfClass);

    /// <summary>The first entry with this GGUF name: for <c>llama</c> that is Llama, not Mistral.</summary>
    public static ArchitectureSpec? FromGgufName(string ggufName) => All.FirstOrDefault(a => a.GgufName == ggufName);

    public static string SupportedHfClasses => string.Join(", ", All.Select(a => a.HfClass));

    public static string SupportedGgufNames => string.Join(", ", All.Select(a => a.GgufName).Distinct());
}
