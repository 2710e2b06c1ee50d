using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Tokenizers.Training;

/// <summary>
/// A byte-level BPE vocabulary (what <see cref="ByteLevelBpeTrainer"/> learns): the special tokens
/// first, then the 256 byte symbols, then one token per learned merge, and the merges in rank order.
/// It is written as a Hugging Face <c>tokenizer.json</c> (GPT-2's pipeline: ByteLevel pre-tokenizer
/// with its regex and no prefix space, BPE, ByteLevel decoder; the special tokens as added tokens)
/// and as GGUF <c>tokenizer.ggml.*</c> metadata (model <c>gpt2</c>, pre-tokenizer <c>gpt-2</c>), which
/// tokenize alike in the engine, transformers and llama.cpp.
/// </summary>
public sealed class ByteLevelBpeVocabulary
{
    private readonly Dictionary<string, int> _ids;

    public ByteLevelBpeVocabulary(IReadOnlyList<string> tokens, IReadOnlyList<(string Left, string Right)> merges, IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentNullException.ThrowIfNull(specialTokens);
        Tokens = tokens;
        Merges = merges;
        SpecialTokens = specialTokens;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!_ids.TryAdd(tokens[i], i))
            {
                throw new ArgumentException($"token \"{tokens[i]}\" appears twice (ids {_ids[tokens[i]]} and {i})", nameof(tokens));
            }
        }
        for (var i = 0; i < specialTokens.Count; i++)
        {
            if (i >= tokens.Count || tokens[i] != specialTokens[i])
            {
                throw new ArgumentException($"special token \"{specialTokens[i]}\" must be token {i}", nameof(specialTokens));
            }
        }
        foreach (var (left, right) in merges)
        {
            if (!_ids.ContainsKey(left) || !_ids.ContainsKey(right) || !_ids.ContainsKey(left + right))
            {
                throw new ArgumentException($"merge \"{left}\" + \"{right}\" names a token that is not in the vocabulary", nameof(merges));
            }
        }
    }

    /// <summary>Every token by id, in the byte-level alphabet (special tokens as written).</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The merges, best (first learned) first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>The special tokens: ids 0, 1, ….</summary>
    public IReadOnlyList<string> SpecialTokens { get; }

    public int Count => Tokens.Count;

    /// <summary>The id of a token (a special token's text, or a byte-level string).</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out var id) ? id : throw new KeyNotFoundException($"\"{token}\" is not in the vocabulary");

    /// <summary>The engine's tokenizer for this vocabulary.</summary>
    public Tokenizer CreateTokenizer() => TokenizerLoader.FromTokenizerJsonText(ToTokenizerJson());

    public string ToTokenizerJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            json.WriteStartArray("added_tokens");
            for (var i = 0; i < SpecialTokens.Count; i++)
            {
                json.WriteStartObject();
                json.WriteNumber("id", i);
                json.WriteString("content", SpecialTokens[i]);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("special", true);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNull("normalizer");
            WriteByteLevel(json, "pre_tokenizer", addPrefixSpace: false, trimOffsets: true);
            WriteByteLevel(json, "post_processor", addPrefixSpace: true, trimOffsets: false);
            WriteByteLevel(json, "decoder", addPrefixSpace: true, trimOffsets: true);
            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteNull("unk_token");
            json.WriteNull("continuing_subword_prefix");
            json.WriteNull("end_of_word_suffix");
            json.WriteBoolean("fuse_unk", false);
            json.WriteBoolean("byte_fallback", false);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            for (var i = 0; i < Tokens.Count; i++)
            {
                json.WriteNumber(Tokens[i], i);
            }
            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var (left, right) in Merges)
            {
                json.WriteStartArray();
                json.WriteStringValue(left);
                json.WriteStringValue(right);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// The <c>tokenizer.*</c> keys of a GGUF file for this vocabulary: special tokens as control tokens,
    /// no BOS or EOS added to prompts, and the chat template when there is one.
    /// </summary>
    public IReadOnlyList<(string Key, GgufValue Value)> ToGgufMetadata(int? bosId, int eosId, int? paddingId, string? chatTemplate)
    {
        var metadata = new List<(string, GgufValue)>
        {
            ("tokenizer.ggml.model", GgufValue.From("gpt2")),
            ("tokenizer.ggml.pre", GgufValue.From("gpt-2")),
            ("tokenizer.ggml.tokens", GgufValue.FromArray([.. Tokens])),
            // llama.cpp's token types: 1 normal, 3 control.
            ("tokenizer.ggml.token_type", GgufValue.FromArray([.. Enumerable.Range(0, Count).Select(i => i < SpecialTokens.Count ? 3 : 1)])),
            ("tokenizer.ggml.merges", GgufValue.FromArray([.. Merges.Select(m => m.Left + " " + m.Right)])),
        };
        if (bosId is { } bos)
        {
            metadata.Add(("tokenizer.ggml.bos_token_id", GgufValue.From((uint)bos)));
        }
        metadata.Add(("tokenizer.ggml.eos_token_id", GgufValue.From((uint)eosId)));
        if (paddingId is { } pad)
        {
            metadata.Add(("tokenizer.ggml.padding_token_id", GgufValue.From((uint)pad)));
        }
        metadata.Add(("tokenizer.ggml.add_bos_token", GgufValue.From(false)));
        metadata.Add(("tokenizer.ggml.add_eos_token", GgufValue.From(false)));
        if (chatTemplate is not null)
        {
            metadata.Add(("tokenizer.chat_template", GgufValue.From(chatTemplate)));
        }
        return metadata;
    }

    /// <summary>
    /// Reads a tokenizer.json this class wrote (or any with the same pipeline). Anything else is refused
    /// with a one-line <see cref="ModelFormatException"/>: only this pipeline is known to convert to GGUF exactly.
    /// </summary>
    public static ByteLevelBpeVocabulary Read(string path)
    {
        using var doc = JsonFile.Load(path);
        var root = doc.RootElement;
        ModelFormatException Bad(string field, string problem) => ModelFormatException.In(path, field, problem);
        JsonElement Field(JsonElement obj, string name, string where)
            => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : throw Bad(where, "missing");
        string Text(JsonElement value, string where)
            => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(where, "expected a string");

        CheckByteLevel(Field(root, "pre_tokenizer", "pre_tokenizer"), "pre_tokenizer", addPrefixSpace: false, Bad);
        CheckByteLevel(Field(root, "decoder", "decoder"), "decoder", addPrefixSpace: null, Bad);
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
        {
            throw Bad("normalizer", "must be null for a byte-level BPE vocabulary");
        }
        var model = Field(root, "model", "model");
        if (Text(Field(model, "type", "model.type"), "model.type") != "BPE")
        {
            throw Bad("model.type", "expected \"BPE\"");
        }
        var vocab = Field(model, "vocab", "model.vocab");
        var tokens = new string?[vocab.ValueKind == JsonValueKind.Object ? vocab.EnumerateObject().Count() : throw Bad("model.vocab", "expected an object")];
        foreach (var entry in vocab.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out var id) || id < 0 || id >= tokens.Length || tokens[id] is not null)
            {
                throw Bad("model.vocab", $"token \"{entry.Name}\": ids must be 0 to {tokens.Length - 1}, each used once");
            }
            tokens[id] = entry.Name;
        }
        var merges = new List<(string, string)>();
        var rank = 0;
        var mergeList = Field(model, "merges", "model.merges");
        foreach (var merge in mergeList.ValueKind == JsonValueKind.Array ? mergeList.EnumerateArray() : throw Bad("model.merges", "expected an array"))
        {
            var where = $"model.merges[{rank++}]";
            merges.Add(merge.ValueKind switch
            {
                JsonValueKind.Array when merge.GetArrayLength() == 2 => (Text(merge[0], where), Text(merge[1], where)),
                JsonValueKind.String when merge.GetString()!.Split(' ') is [var a, var b] => (a, b),
                _ => throw Bad(where, "expected [\"left\", \"right\"] or \"left right\""),
            });
        }
        var specials = new List<string>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                var where = $"added_tokens[{specials.Count}].content";
                specials.Add(Text(Field(token, "content", where), where));
            }
        }
        try
        {
            return new ByteLevelBpeVocabulary([.. tokens.Select(t => t!)], merges, specials);
        }
        catch (ArgumentException e)
        {
            throw Bad("model", e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>
    /// The vocabulary of a GGUF file written with <see cref="ToGgufMetadata"/> (a <c>gpt2</c> vocabulary with the
    /// <c>gpt-2</c> pre-tokenizer; control tokens are the special tokens). Anything else is refused in one line.
    /// </summary>
    public static ByteLevelBpeVocabulary FromGguf(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var source = file.Name ?? "GGUF";
        if (!file.TryGetString("tokenizer.ggml.model", out var model) || model != "gpt2" || !file.TryGetString("tokenizer.ggml.pre", out var pre) || pre != "gpt-2")
        {
            throw ModelFormatException.In(source, "tokenizer.ggml.model", "expected a gpt2 vocabulary with the gpt-2 pre-tokenizer (a byte-level BPE vocabulary)");
        }
        var tokens = file.GetArray("tokenizer.ggml.tokens").AsStringArray();
        var types = file.TryGetArray("tokenizer.ggml.token_type", out var t) ? t.AsInt32Array() : new int[tokens.Length];
        var merges = new List<(string, string)>();
        foreach (var merge in file.GetArray("tokenizer.ggml.merges").AsStringArray())
        {
            merges.Add(merge.Split(' ') is [var a, var b] ? (a, b) : throw ModelFormatException.In(source, $"tokenizer.ggml.merges[{merges.Count}]", "expected \"left right\""));
        }
        try
        {
            return new ByteLevelBpeVocabulary(tokens, merges, [.. tokens.Where((_, i) => i < types.Length && types[i] == 3)]);
        }
        catch (ArgumentException e)
        {
            throw ModelFormatException.In(source, "tokenizer.ggml.tokens", e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static void WriteByteLevel(Utf8JsonWriter json, string name, bool addPrefixSpace, bool trimOffsets)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", trimOffsets);
        json.WriteBoolean("use_regex", true);
        json.WriteEndObject();
    }

    private static void CheckByteLevel(JsonElement section, string field, bool? addPrefixSpace, Func<string, string, ModelFormatException> bad)
    {
        if (section.ValueKind != JsonValueKind.Object || !section.TryGetProperty("type", out var type) || type.GetString() != "ByteLevel")
        {
            throw bad(field, "expected a ByteLevel section (a byte-level BPE tokenizer)");
        }
        if (addPrefixSpace is { } expected && section.TryGetProperty("add_prefix_space", out var prefix)
            && prefix.ValueKind is JsonValueKind.True or JsonValueKind.False && prefix.GetBoolean() != expected)
        {
            throw bad($"{field}.add_prefix_space", $"expected {(expected ? "true" : "false")}");
        }
        if (section.TryGetProperty("use_regex", out var regex) && regex.ValueKind == JsonValueKind.False)
        {
            throw bad($"{field}.use_regex", "expected true (GPT-2's split regex)");
        }
    }
}
