using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>
/// Writes trained weights with their tokenizer as files other tools load: a Hugging Face folder
/// (<c>config.json</c>, <c>model.safetensors</c>, <c>tokenizer.json</c>, <c>tokenizer_config.json</c> with
/// the chat template, <c>generation_config.json</c>) and GGUF files (<see cref="GgufExport"/>). Every file
/// is written atomically, and config.json, which marks a folder as a model, last.
/// </summary>
public sealed class ModelExport
{
    public ModelExport(TrainingWeights weights, ExportTokenizer tokenizer, string name)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (tokenizer.Vocabulary.Count != weights.Config.VocabSize)
        {
            throw new ArgumentException($"the tokenizer has {tokenizer.Vocabulary.Count} tokens but the model {weights.Config.VocabSize}", nameof(tokenizer));
        }
        Weights = weights;
        Tokenizer = tokenizer;
        Name = name;
        Config = weights.Config with { BosTokenId = tokenizer.BosId, EosTokenIds = [tokenizer.EosId] };
    }

    public TrainingWeights Weights { get; }

    public ExportTokenizer Tokenizer { get; }

    /// <summary>GGUF general.name.</summary>
    public string Name { get; }

    /// <summary>The model's config with the tokenizer's BOS and EOS ids.</summary>
    public ModelConfig Config { get; }

    public void WriteGguf(string path, GgmlType matrixType)
    {
        var t = Tokenizer;
        GgufExport.Write(path, Weights, matrixType, t.Vocabulary.ToGgufMetadata(t.BosId, t.EosId, t.PadId, t.ChatTemplate), Name);
    }

    /// <summary>Writes the Hugging Face folder into <paramref name="directory"/> (created when missing), weights as <paramref name="dtype"/>.</summary>
    public void WriteHuggingFaceFolder(string directory, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string In(string file) => Path.Combine(directory, file);
        var weights = new SafetensorsWriter();
        weights.Metadata["format"] = "pt";
        foreach (var (role, layer, values) in Weights.Tensors())
        {
            var entry = TensorNameTable.Get(role);
            weights.Add(entry.Name(TensorNaming.HuggingFace, layer)!, entry.ResolveShape(Config), ToHalfRotation(entry, values), dtype);
        }
        weights.Save(In(SafetensorsTensorSource.SingleFileName));
        AtomicFile.WriteAllText(In(HfModelFolder.TokenizerFile), Tokenizer.Vocabulary.ToTokenizerJson());
        AtomicFile.WriteAllText(In(HfModelFolder.TokenizerConfigFile), TokenizerConfigJson());
        AtomicFile.WriteAllText(In(HfModelFolder.GenerationConfigFile), GenerationConfigJson());
        AtomicFile.WriteAllText(In(HfModelFolder.ConfigFile), HfConfigWriter.ToJson(Config, dtype switch
        {
            SafetensorsDType.F16 => "float16",
            SafetensorsDType.BF16 => "bfloat16",
            _ => "float32",
        }));
    }

    /// <summary>Transformers' rotate_half order for Q and K rows (the trainer keeps llama.cpp's adjacent pairs).</summary>
    private float[] ToHalfRotation(TensorNameEntry entry, float[] values)
    {
        if (entry.Rope == RopeRows.None)
        {
            return values;
        }
        var permuted = new float[values.Length];
        RopePermutation.PermuteRows(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(permuted.AsSpan()), Config.HiddenSize * sizeof(float), Config.HeadDim,
            RopeLayout.AdjacentPairs, RopeLayout.HalfRotation);
        return permuted;
    }

    private string TokenizerConfigJson() => Json(json =>
    {
        var t = Tokenizer;
        json.WriteBoolean("add_bos_token", false);
        json.WriteBoolean("add_eos_token", false);
        WriteOptional(json, "bos_token", t.BosToken);
        json.WriteString("eos_token", t.EosToken);
        WriteOptional(json, "pad_token", t.PadToken);
        json.WriteNull("unk_token");
        json.WriteNumber("model_max_length", Config.ContextLength);
        json.WriteBoolean("clean_up_tokenization_spaces", false);
        json.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        json.WriteStartObject("added_tokens_decoder");
        for (var i = 0; i < t.Vocabulary.SpecialTokens.Count; i++)
        {
            json.WriteStartObject(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("content", t.Vocabulary.SpecialTokens[i]);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        WriteOptional(json, "chat_template", t.ChatTemplate);
    });

    private string GenerationConfigJson() => Json(json =>
    {
        if (Tokenizer.BosId is { } bos)
        {
            json.WriteNumber("bos_token_id", bos);
        }
        HfConfigWriter.WriteIds(json, "eos_token_id", Tokenizer.StopIds);
        if (Tokenizer.PadId is { } pad)
        {
            json.WriteNumber("pad_token_id", pad);
        }
    });

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
