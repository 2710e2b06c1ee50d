using AlignLab.Engine.Models;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>Reads a Hugging Face <c>config.json</c> into a validated <see cref="ModelConfig"/>.</summary>
public static class HfConfigReader
{
    /// <summary>transformers' defaults for the four supported classes (they agree on these).</summary>
    private const double DefaultRmsNormEps = 1e-6;
    private const double DefaultRopeTheta = 10000;

    public static ModelConfig Read(string path)
    {
        using var doc = JsonFile.Load(path);
        return Parse(new JsonFields(doc.RootElement, path));
    }

    /// <summary>Parses config.json text held in memory (a checkpoint's copy); <paramref name="source"/> names it in errors.</summary>
    public static ModelConfig ParseText(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonFile.Parse(System.Text.Encoding.UTF8.GetBytes(json), source);
        return Parse(new JsonFields(doc.RootElement, source));
    }

    internal static ModelConfig Parse(JsonFields json)
    {
        var spec = ReadArchitecture(json);
        var hidden = Required(json, "hidden_size");
        var heads = Required(json, "num_attention_heads");
        var headDim = json.Int("head_dim") ?? DefaultHeadDim(json, hidden, heads);
        var attentionBias = json.Bool("attention_bias") ?? false;
        var config = new ModelConfig
        {
            Architecture = spec.Architecture,
            VocabSize = Required(json, "vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = Required(json, "intermediate_size"),
            LayerCount = Required(json, "num_hidden_layers"),
            HeadCount = heads,
            KvHeadCount = json.Int("num_key_value_heads") ?? heads,
            HeadDim = headDim,
            ContextLength = json.Int("max_position_embeddings") ?? spec.DefaultContextLength,
            RmsNormEps = json.Double("rms_norm_eps") ?? DefaultRmsNormEps,
            RopeTheta = json.Double("rope_theta") ?? json.Object("rope_parameters")?.Double("rope_theta") ?? DefaultRopeTheta,
            RopeScaling = json.Object("rope_scaling") is { } scaling ? HfRopeScaling.Parse(scaling) : RopeScaling.None,
            TieWordEmbeddings = json.Bool("tie_word_embeddings") ?? false,
            QkvBias = spec.AlwaysQkvBias || attentionBias,
            OutputProjectionBias = spec.OutputProjectionBiasFollowsConfig && attentionBias,
            SlidingWindow = spec.HasSlidingWindow ? json.Int("sliding_window") : null,
            BosTokenId = json.Int("bos_token_id"),
            EosTokenIds = json.IntOrIntList("eos_token_id") ?? [],
            // transformers 5 renamed torch_dtype to dtype.
            TorchDtype = json.String("torch_dtype") ?? json.String("dtype"),
        };
        return ModelConfigValidator.Validate(config, json.File, ConfigFieldNames.HuggingFace);
    }

    private static ArchitectureSpec ReadArchitecture(JsonFields json)
    {
        var classes = json.StringList("architectures");
        if (classes is null || classes.Count == 0)
        {
            throw ModelFormatException.In(json.File, "architectures", "missing: expected a list naming the model class, e.g. [\"LlamaForCausalLM\"]");
        }
        return ArchitectureTable.FromHfClass(classes[0])
            ?? throw ModelFormatException.In(json.File, "architectures",
                $"unsupported architecture \"{classes[0]}\" (supported: {ArchitectureTable.SupportedHfClasses})");
    }

    /// <summary>Without an explicit head_dim the heads split the hidden size, so they must divide it.</summary>
    private static int DefaultHeadDim(JsonFields json, int hidden, int heads)
    {
        if (heads > 0 && hidden % heads != 0)
        {
            throw ModelFormatException.In(json.File, "num_attention_heads", $"{heads} heads do not divide hidden_size {hidden}");
        }
        return heads > 0 ? hidden / heads : 0;
    }

    private static int Required(JsonFields json, string field)
        => json.Int(field) ?? throw ModelFormatException.In(json.File, field, "missing");
}
