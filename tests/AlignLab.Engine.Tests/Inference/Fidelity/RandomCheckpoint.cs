using System.Globalization;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Inference.Fidelity;

/// <summary>
/// Deterministic random weights for a config, as a Hugging Face checkpoint would hold them (Q/K rows
/// in rotate_half order): matrices and biases drawn from N(0, 0.02²), norm weights 1. Saved as a
/// Hugging Face folder, or as GGUF the way llama.cpp's converter writes it (Q/K rows permuted for
/// NORM-RoPE architectures, llama3 RoPE scaling as a <c>rope_freqs.weight</c> tensor).
/// Shared with tools/llama-goldens, so it must not depend on xunit.
/// </summary>
internal sealed class RandomCheckpoint
{
    public const float Std = 0.02f;

    public RandomCheckpoint(ModelConfig config, ulong seed, float outputNormScale = 1)
    {
        Config = config;
        var random = new NormalRandom(seed);
        foreach (var (role, layer) in TensorNameTable.Expected(config))
        {
            var count = (int)TensorNameTable.Get(role).ResolveShape(config).Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            if (role is TensorRole.AttentionNorm or TensorRole.FeedForwardNorm or TensorRole.AttentionQueryNorm or TensorRole.AttentionKeyNorm)
            {
                Array.Fill(values, 1f);
            }
            else if (role == TensorRole.OutputNorm)
            {
                Array.Fill(values, outputNormScale);
            }
            else
            {
                random.Fill(values, Std);
            }
            Weights[(role, layer)] = values;
        }
    }

    public ModelConfig Config { get; }

    /// <summary>
    /// Adds N(0, (<see cref="Std"/>·<paramref name="scale"/>)²) noise from <paramref name="seed"/> to every tensor
    /// that is not constant (norm weights stay as they are): an "aligned" copy related to the original.
    /// </summary>
    public RandomCheckpoint Perturb(float scale, ulong seed)
    {
        var noise = new NormalRandom(seed);
        foreach (var values in Weights.Values.Where(v => v.Distinct().Skip(1).Any()))
        {
            var delta = new float[values.Length];
            noise.Fill(delta, Std * scale);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] += delta[i];
            }
        }
        return this;
    }

    /// <summary>Hugging Face order: [out, in] row-major, Q/K rows in half-rotation order.</summary>
    public Dictionary<(TensorRole Role, int Layer), float[]> Weights { get; } = [];

    /// <summary>
    /// A GGUF file: <paramref name="type"/> for every matrix (norms and biases stay F32), and
    /// <paramref name="tokenizer"/> as the tokenizer.* metadata. For tests of broken files,
    /// <paramref name="typeOverrides"/> stores a role's tensors in another type (zero bytes when we have
    /// no quantizer for it) and <paramref name="omit"/> leaves a role's tensors out.
    /// </summary>
    public byte[] ToGguf(GgmlType type, IEnumerable<(string Key, GgufValue Value)> tokenizer, string name,
        IReadOnlyDictionary<TensorRole, GgmlType>? typeOverrides = null, IReadOnlySet<TensorRole>? omit = null)
    {
        var c = Config;
        var writer = new GgufWriter();
        GgufModelConfig.Write(writer, c);
        writer.AddMetadata("general.name", name);
        foreach (var (key, value) in tokenizer)
        {
            writer.AddMetadata(key, value);
        }
        if (c.RopeScaling.Kind == RopeScalingKind.Llama3)
        {
            writer.AddTensor("rope_freqs.weight", [c.HeadDim / 2], Llama3FrequencyFactors(c), GgmlType.F32);
        }
        // The converter's order: embedding, then each layer, then the output norm and head.
        foreach (var ((role, layer), values) in Weights.OrderBy(w => w.Key.Layer < 0 && w.Key.Role != TensorRole.TokenEmbedding ? int.MaxValue : w.Key.Layer))
        {
            if (omit?.Contains(role) == true)
            {
                continue;
            }
            var entry = TensorNameTable.Get(role);
            var shape = entry.ResolveShape(c);
            var data = c.Spec.GgufRopeLayout == RopeLayout.AdjacentPairs ? ConverterPermute(values, shape, entry.Rope) : values;
            var tensorType = typeOverrides is not null && typeOverrides.TryGetValue(role, out var forced) ? forced : shape.Length == 2 ? type : GgmlType.F32;
            var ggufName = entry.Name(TensorNaming.Gguf, layer)!;
            if (GgmlQuantizer.CanQuantize(tensorType))
            {
                writer.AddTensor(ggufName, [.. shape.Reverse()], data, tensorType);
            }
            else
            {
                writer.AddTensor(ggufName, [.. shape.Reverse()], tensorType, new byte[GgmlTypeInfo.Get(tensorType).RowByteSize(data.Length)]);
            }
        }
        return writer.ToArray();
    }

    /// <summary>
    /// tokenizer.* metadata of a made-up vocabulary "t0", "t1", … with no merges (enough for the engine to
    /// load and decode, not to encode text or for llama.cpp).
    /// </summary>
    public static IEnumerable<(string Key, GgufValue Value)> SyntheticTokenizer(int vocabSize)
    {
        yield return ("tokenizer.ggml.model", GgufValue.From("gpt2"));
        yield return ("tokenizer.ggml.tokens", GgufValue.FromArray([.. Enumerable.Range(0, vocabSize).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture))]));
        yield return ("tokenizer.ggml.merges", GgufValue.FromArray(Array.Empty<string>()));
    }

    /// <summary>The tokenizer.* metadata of a vocabulary-only GGUF file, copied as is.</summary>
    public static List<(string Key, GgufValue Value)> TokenizerOf(string vocabGguf)
    {
        using var file = GgufFile.Open(vocabGguf);
        return [.. file.MetadataKeys.Where(k => k.StartsWith("tokenizer.", StringComparison.Ordinal)).Select(k => (k, file.Metadata[k]))];
    }

    /// <summary>
    /// The tokenizer metadata with every per-token array (tokens, scores, token types) cut to its first
    /// <paramref name="count"/> entries. Meant for SentencePiece vocabularies, which have no merges that
    /// could name a dropped token; special-token ids must stay below <paramref name="count"/>.
    /// </summary>
    public static List<(string Key, GgufValue Value)> TrimVocabulary(List<(string Key, GgufValue Value)> tokenizer, int count)
    {
        var size = tokenizer.Single(t => t.Key == "tokenizer.ggml.tokens").Value.ArrayLength;
        if (tokenizer.Any(t => t.Key == "tokenizer.ggml.merges"))
        {
            throw new ArgumentException("cannot trim a vocabulary with merges", nameof(tokenizer));
        }
        return [.. tokenizer.Select(t => !t.Value.IsArray || t.Value.ArrayLength != size ? t : (t.Key, t.Value.ElementType switch
        {
            GgufValueType.String => GgufValue.FromArray(t.Value.AsStringArray()[..count]),
            GgufValueType.Float32 => GgufValue.FromArray(t.Value.AsFloatArray()[..count]),
            GgufValueType.Int32 => GgufValue.FromArray(t.Value.AsInt32Array()[..count]),
            _ => throw new ArgumentException($"cannot trim {t.Key}, an array of {t.Value.ElementType}", nameof(tokenizer)),
        }))];
    }

    public void WriteHfFolder(string directory, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        Directory.CreateDirectory(directory);
        var c = Config;
        var scaling = c.RopeScaling.Kind switch
        {
            RopeScalingKind.Linear => string.Create(CultureInfo.InvariantCulture, $$""", "rope_scaling": {"rope_type": "linear", "factor": {{c.RopeScaling.Factor:R}}}"""),
            RopeScalingKind.Llama3 => string.Create(CultureInfo.InvariantCulture,
                $$""", "rope_scaling": {"rope_type": "llama3", "factor": {{c.RopeScaling.Factor:R}}, "low_freq_factor": {{c.RopeScaling.LowFreqFactor:R}}, "high_freq_factor": {{c.RopeScaling.HighFreqFactor:R}}, "original_max_position_embeddings": {{c.RopeScaling.OriginalContextLength}}}"""),
            _ => "",
        };
        var window = c.SlidingWindow is { } w ? string.Create(CultureInfo.InvariantCulture, $", \"sliding_window\": {w}") : "";
        File.WriteAllText(Path.Combine(directory, "config.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {"architectures": ["{{c.Spec.HfClass}}"], "vocab_size": {{c.VocabSize}}, "hidden_size": {{c.HiddenSize}},
             "intermediate_size": {{c.IntermediateSize}}, "num_hidden_layers": {{c.LayerCount}}, "num_attention_heads": {{c.HeadCount}},
             "num_key_value_heads": {{c.KvHeadCount}}, "head_dim": {{c.HeadDim}}, "max_position_embeddings": {{c.ContextLength}},
             "rms_norm_eps": {{c.RmsNormEps:R}}, "rope_theta": {{c.RopeTheta:R}}, "tie_word_embeddings": {{(c.TieWordEmbeddings ? "true" : "false")}},
             "attention_bias": {{(c.QkvBias && c.Architecture != ModelArchitecture.Qwen2 ? "true" : "false")}}, "torch_dtype": "float32"{{scaling}}{{window}}}
            """));
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = "pt";
        foreach (var ((role, layer), values) in Weights)
        {
            var entry = TensorNameTable.Get(role);
            writer.Add(entry.Name(TensorNaming.HuggingFace, layer)!, entry.ResolveShape(Config), values, dtype);
        }
        writer.Save(Path.Combine(directory, "model.safetensors"));
    }

    /// <summary>
    /// What llama.cpp's converter stores as rope_freqs.weight for llama3 scaling (LlamaModel.generate_extra_tensors):
    /// per pair, 1 for short wavelengths, the factor for long ones, a smooth blend between.
    /// </summary>
    public static float[] Llama3FrequencyFactors(ModelConfig c)
    {
        var s = c.RopeScaling;
        var (low, high) = (s.OriginalContextLength / s.LowFreqFactor, s.OriginalContextLength / s.HighFreqFactor);
        return [.. Enumerable.Range(0, c.HeadDim / 2).Select(i =>
        {
            var wavelength = 2 * Math.PI / Math.Pow(c.RopeTheta, -2.0 * i / c.HeadDim);
            if (wavelength < high)
            {
                return 1f;
            }
            if (wavelength > low)
            {
                return (float)s.Factor;
            }
            var smooth = ((s.OriginalContextLength / wavelength) - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
            return (float)(1 / (((1 - smooth) / s.Factor) + smooth));
        })];
    }

    /// <summary>
    /// convert_hf_to_gguf.py's <c>LlamaModel.permute</c>:
    /// <c>w.reshape(n_head, 2, rows / n_head / 2, *rest).swapaxes(1, 2).reshape(w.shape)</c>, with n_head = n_head_kv for K.
    /// </summary>
    private float[] ConverterPermute(float[] w, long[] shape, RopeRows rope) => rope == RopeRows.None
        ? w
        : ConverterPermute(w, shape, rope == RopeRows.QueryHeads ? Config.HeadCount : Config.KvHeadCount);

    /// <summary>The converter's permutation of <paramref name="heads"/> heads' rows (shared with the engine's model tests).</summary>
    internal static float[] ConverterPermute(float[] w, long[] shape, int heads)
    {
        var rows = (int)shape[0];
        var cols = shape.Length > 1 ? (int)shape[1] : 1;
        var half = rows / heads / 2;
        var result = new float[w.Length];
        for (var h = 0; h < heads; h++)
        {
            for (var two = 0; two < 2; two++)
            {
                for (var j = 0; j < half; j++)
                {
                    var from = (h * 2 * half) + (two * half) + j;
                    var to = (h * half * 2) + (j * 2) + two;
                    Array.Copy(w, from * cols, result, to * cols, cols);
                }
            }
        }
        return result;
    }
}

/// <summary>N(0, σ²) samples from SplitMix64 and Box–Muller: the same sequence on every machine and runtime.</summary>
internal sealed class NormalRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1]: 53 random bits.</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    public int NextInt(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    public void Fill(Span<float> values, float std)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(NextDouble()));
            var angle = 2 * Math.PI * NextDouble();
            values[i] = (float)(radius * Math.Cos(angle) * std);
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(radius * Math.Sin(angle) * std);
            }
        }
    }
}
