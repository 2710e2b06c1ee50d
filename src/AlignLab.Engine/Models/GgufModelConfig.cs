using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Models;

/// <summary>
/// Reads a <see cref="ModelConfig"/> from GGUF metadata (the <c>{arch}.*</c> keys llama.cpp's
/// converter writes). What GGUF keeps only implicitly is derived as llama.cpp does: the vocabulary
/// size from <c>tokenizer.ggml.tokens</c>, tied embeddings from a missing <c>output.weight</c>,
/// biases and Q/K norms from the tensors present.
/// </summary>
public static class GgufModelConfig
{
    /// <summary>llama.cpp's defaults when a file omits the key.</summary>
    private const float DefaultRopeTheta = 10000;

    private static readonly Dictionary<string, Func<GgufFile, string, RopeScaling>> Scalings = new(StringComparer.Ordinal)
    {
        ["none"] = (_, _) => RopeScaling.None,
        ["linear"] = (f, arch) => new RopeScaling(RopeScalingKind.Linear, Factor: f.GetFloat($"{arch}.rope.scaling.factor")),
    };

    public static ModelConfig Read(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var location = file.Name ?? "GGUF";
        var arch = file.Architecture ?? throw ModelFormatException.In(location, "general.architecture", "missing");
        var spec = ArchitectureTable.FromGgufName(arch)
            ?? throw ModelFormatException.In(location, "general.architecture", $"unsupported architecture \"{arch}\" (supported: {ArchitectureTable.SupportedGgufNames})");
        var hidden = Int(file, $"{arch}.embedding_length");
        var heads = Int(file, $"{arch}.attention.head_count");
        var qkvBias = file.TryGetTensor("blk.0.attn_q.bias", out _);
        var config = new ModelConfig
        {
            Architecture = spec.Architecture,
            VocabSize = VocabSize(file, arch),
            HiddenSize = hidden,
            IntermediateSize = Int(file, $"{arch}.feed_forward_length"),
            LayerCount = Int(file, $"{arch}.block_count"),
            HeadCount = heads,
            KvHeadCount = OptionalInt(file, $"{arch}.attention.head_count_kv") ?? heads,
            HeadDim = OptionalInt(file, $"{arch}.attention.key_length") ?? DefaultHeadDim(location, arch, hidden, heads),
            ContextLength = Int(file, $"{arch}.context_length"),
            RmsNormEps = file.GetFloat($"{arch}.attention.layer_norm_rms_epsilon"),
            RopeTheta = file.TryGetFloat($"{arch}.rope.freq_base", out var theta) ? theta : DefaultRopeTheta,
            RopeScaling = Scaling(file, arch, location),
            TieWordEmbeddings = !file.TryGetTensor("output.weight", out _),
            QkvBias = spec.AlwaysQkvBias || qkvBias,
            OutputProjectionBias = file.TryGetTensor("blk.0.attn_output.bias", out _),
            SlidingWindow = spec.HasSlidingWindow ? OptionalInt(file, $"{arch}.attention.sliding_window") : null,
            BosTokenId = OptionalInt(file, "tokenizer.ggml.bos_token_id"),
            EosTokenIds = OptionalInt(file, "tokenizer.ggml.eos_token_id") is { } eos ? [eos] : [],
        };
        return ModelConfigValidator.Validate(config, location, ConfigFieldNames.Gguf(arch));
    }

    /// <summary>
    /// Writes <paramref name="config"/> as the <c>general.architecture</c> and <c>{arch}.*</c> keys that <see cref="Read"/>
    /// and llama.cpp read back. Scalings carried by a tensor (<c>rope_freqs.weight</c>) need that
    /// tensor from the caller; only linear scaling has keys.
    /// </summary>
    public static void Write(GgufWriter writer, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(config);
        var c = config;
        var arch = c.Spec.GgufName;
        writer.AddMetadata("general.architecture", arch);
        writer.AddMetadata($"{arch}.vocab_size", (uint)c.VocabSize);
        writer.AddMetadata($"{arch}.context_length", (uint)c.ContextLength);
        writer.AddMetadata($"{arch}.embedding_length", (uint)c.HiddenSize);
        writer.AddMetadata($"{arch}.block_count", (uint)c.LayerCount);
        writer.AddMetadata($"{arch}.feed_forward_length", (uint)c.IntermediateSize);
        writer.AddMetadata($"{arch}.attention.head_count", (uint)c.HeadCount);
        writer.AddMetadata($"{arch}.attention.head_count_kv", (uint)c.KvHeadCount);
        writer.AddMetadata($"{arch}.attention.key_length", (uint)c.HeadDim);
        writer.AddMetadata($"{arch}.attention.value_length", (uint)c.HeadDim);
        writer.AddMetadata($"{arch}.attention.layer_norm_rms_epsilon", (float)c.RmsNormEps);
        writer.AddMetadata($"{arch}.rope.freq_base", (float)c.RopeTheta);
        writer.AddMetadata($"{arch}.rope.dimension_count", (uint)c.HeadDim);
        if (c.RopeScaling.Kind == RopeScalingKind.Linear)
        {
            writer.AddMetadata($"{arch}.rope.scaling.type", "linear");
            writer.AddMetadata($"{arch}.rope.scaling.factor", (float)c.RopeScaling.Factor);
        }
    }

    /// <summary>Without key_length the heads split the embedding, so they must divide it.</summary>
    private static int DefaultHeadDim(string location, string arch, int hidden, int heads)
        => heads <= 0 ? 0
            : hidden % heads == 0 ? hidden / heads
            : throw ModelFormatException.In(location, $"{arch}.attention.head_count", $"{heads} heads do not divide {arch}.embedding_length {hidden}");

    private static RopeScaling Scaling(GgufFile file, string arch, string location)
    {
        if (file.TryGetTensor("rope_freqs.weight", out _))
        {
            return new RopeScaling(RopeScalingKind.FrequencyFactors);
        }
        var key = $"{arch}.rope.scaling.type";
        var type = file.TryGetString(key, out var t) ? t : "none";
        return Scalings.TryGetValue(type, out var read)
            ? read(file, arch)
            : throw ModelFormatException.In(location, key, $"unsupported RoPE scaling \"{type}\" (supported: {string.Join(", ", Scalings.Keys)})");
    }

    /// <summary>The tokenizer's token count, which the converter pads to the embedding's row count.</summary>
    private static int VocabSize(GgufFile file, string arch)
    {
        if (file.TryGetArray("tokenizer.ggml.tokens", out var tokens))
        {
            return tokens.ArrayLength;
        }
        return OptionalInt(file, $"{arch}.vocab_size")
            ?? throw ModelFormatException.In(file.Name ?? "GGUF", "tokenizer.ggml.tokens", "missing (and no vocab_size key)");
    }

    private static int Int(GgufFile file, string key) => file.GetValue(key).AsInt32();

    private static int? OptionalInt(GgufFile file, string key) => file.TryGetValue(key, out var v) ? v.AsInt32() : null;
}
