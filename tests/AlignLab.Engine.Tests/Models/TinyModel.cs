using System.Globalization;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Models;

/// <summary>
/// Random weights for a small config, written the way each ecosystem stores them: a Hugging Face
/// folder (config.json + safetensors, rotate_half Q/K order) and a GGUF file converted exactly as
/// llama.cpp's convert_hf_to_gguf.py does (Q/K rows permuted for NORM-RoPE architectures).
/// </summary>
internal sealed class TinyModel
{
    public TinyModel(ModelConfig config, int seed = 7)
    {
        Config = config;
        var random = new Random(seed);
        foreach (var (role, layer) in TensorNameTable.Expected(config))
        {
            var count = TensorNameTable.Get(role).ResolveShape(config).Aggregate(1L, (a, b) => a * b);
            Weights[(role, layer)] = [.. Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        }
    }

    public ModelConfig Config { get; }

    /// <summary>Hugging Face order: [out, in] row-major, Q/K in half-rotation order.</summary>
    public Dictionary<(TensorRole Role, int Layer), float[]> Weights { get; } = [];

    public static ModelConfig Llama(int layers = 1, bool tied = false) => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = 12,
        HiddenSize = 32,
        IntermediateSize = 24,
        LayerCount = layers,
        HeadCount = 4,
        KvHeadCount = 2,
        HeadDim = 8,
        ContextLength = 64,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = tied,
    };

    public void WriteHfFolder(string directory, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        Directory.CreateDirectory(directory);
        var c = Config;
        File.WriteAllText(Path.Combine(directory, "config.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {"architectures": ["{{c.Spec.HfClass}}"], "vocab_size": {{c.VocabSize}}, "hidden_size": {{c.HiddenSize}},
             "intermediate_size": {{c.IntermediateSize}}, "num_hidden_layers": {{c.LayerCount}}, "num_attention_heads": {{c.HeadCount}},
             "num_key_value_heads": {{c.KvHeadCount}}, "head_dim": {{c.HeadDim}}, "max_position_embeddings": {{c.ContextLength}},
             "rms_norm_eps": {{c.RmsNormEps:R}}, "rope_theta": {{c.RopeTheta:R}}, "tie_word_embeddings": {{(c.TieWordEmbeddings ? "true" : "false")}},
             "attention_bias": {{(c.QkvBias && c.Architecture != ModelArchitecture.Qwen2 ? "true" : "false")}}, "torch_dtype": "float32"}
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

    public void WriteGguf(string path, GgmlType type = GgmlType.F32)
    {
        var c = Config;
        var writer = new GgufWriter();
        GgufModelConfig.Write(writer, c);
        writer.AddMetadata("tokenizer.ggml.model", "gpt2");
        writer.AddMetadata("tokenizer.ggml.tokens", Enumerable.Range(0, c.VocabSize).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture)).ToArray());
        foreach (var ((role, layer), values) in Weights)
        {
            var entry = TensorNameTable.Get(role);
            var shape = entry.ResolveShape(c);
            var data = c.Spec.GgufRopeLayout == RopeLayout.AdjacentPairs ? ConverterPermute(values, shape, entry.Rope) : values;
            writer.AddTensor(entry.Name(TensorNaming.Gguf, layer)!, [.. shape.Reverse()], data, type);
        }
        writer.Write(path);
    }

    /// <summary>
    /// convert_hf_to_gguf.py's <c>LlamaModel.permute</c>, written out independently of the engine:
    /// <c>w.reshape(n_head, 2, rows / n_head / 2, *rest).swapaxes(1, 2).reshape(w.shape)</c>, with
    /// n_head = n_head_kv for K.
    /// </summary>
    public float[] ConverterPermute(float[] w, long[] shape, RopeRows rope) => rope == RopeRows.None
        ? w
        : Inference.Fidelity.RandomCheckpoint.ConverterPermute(w, shape, rope == RopeRows.QueryHeads ? Config.HeadCount : Config.KvHeadCount);
}
