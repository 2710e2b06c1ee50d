using System.Text;
using System.Text.Json;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>
/// Writes a <see cref="ModelConfig"/> as a Hugging Face <c>config.json</c> that transformers and
/// <see cref="HfConfigReader"/> read back to the same config. Covers what the engine's trainer
/// produces: no RoPE scaling and no sliding window.
/// </summary>
public static class HfConfigWriter
{
    public static string ToJson(ModelConfig config, string torchDtype = "float32")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.RopeScaling.Kind != RopeScalingKind.None || config.SlidingWindow is not null)
        {
            throw new ArgumentException("config.json writing covers models without RoPE scaling or a sliding window", nameof(config));
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("architectures");
            json.WriteStringValue(config.Spec.HfClass);
            json.WriteEndArray();
            json.WriteString("model_type", config.Architecture switch
            {
                ModelArchitecture.Mistral => "mistral",
                ModelArchitecture.Qwen2 => "qwen2",
                ModelArchitecture.Qwen3 => "qwen3",
                _ => "llama",
            });
            json.WriteNumber("vocab_size", config.VocabSize);
            json.WriteNumber("hidden_size", config.HiddenSize);
            json.WriteNumber("intermediate_size", config.IntermediateSize);
            json.WriteNumber("num_hidden_layers", config.LayerCount);
            json.WriteNumber("num_attention_heads", config.HeadCount);
            json.WriteNumber("num_key_value_heads", config.KvHeadCount);
            json.WriteNumber("head_dim", config.HeadDim);
            json.WriteNumber("max_position_embeddings", config.ContextLength);
            json.WriteNumber("rms_norm_eps", config.RmsNormEps);
            json.WriteNumber("rope_theta", config.RopeTheta);
            json.WriteBoolean("tie_word_embeddings", config.TieWordEmbeddings);
            json.WriteBoolean("attention_bias", config.QkvBias);
            json.WriteBoolean("mlp_bias", false);
            json.WriteString("hidden_act", "silu");
            if (config.BosTokenId is { } bos)
            {
                json.WriteNumber("bos_token_id", bos);
            }
            WriteIds(json, "eos_token_id", config.EosTokenIds);
            json.WriteString("torch_dtype", torchDtype);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>One id as a number, several as a list (as transformers writes them); nothing for none.</summary>
    internal static void WriteIds(Utf8JsonWriter json, string name, IReadOnlyList<int> ids)
    {
        if (ids.Count == 1)
        {
            json.WriteNumber(name, ids[0]);
        }
        else if (ids.Count > 1)
        {
            json.WriteStartArray(name);
            foreach (var id in ids)
            {
                json.WriteNumberValue(id);
            }
            json.WriteEndArray();
        }
    }
}
