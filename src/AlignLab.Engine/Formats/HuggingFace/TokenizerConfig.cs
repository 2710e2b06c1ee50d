using System.Text.Json;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>
/// The parts of <c>tokenizer_config.json</c> that decide how a prompt is built: the chat template,
/// the special tokens and whether BOS/EOS are added. Absent fields are null.
/// </summary>
public sealed record TokenizerConfig
{
    /// <summary>transformers writes int(1e30) to mean "no limit"; anything this large reads as null.</summary>
    private const double UnlimitedLength = 1e18;

    /// <summary>The template used when none is named: the plain string, or the list entry named "default".</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Every named template when the file gives a list of {name, template}; empty otherwise.</summary>
    public IReadOnlyDictionary<string, string> NamedChatTemplates { get; init; } = new Dictionary<string, string>();

    public string? BosToken { get; init; }

    public string? EosToken { get; init; }

    public string? PadToken { get; init; }

    public string? UnkToken { get; init; }

    public bool? AddBosToken { get; init; }

    public bool? AddEosToken { get; init; }

    /// <summary>The longest input the tokenizer accepts; null when absent or unlimited.</summary>
    public long? ModelMaxLength { get; init; }

    public static TokenizerConfig Read(string path)
    {
        using var doc = JsonFile.Load(path);
        var json = new JsonFields(doc.RootElement, path);
        var named = ReadNamedTemplates(json);
        return new TokenizerConfig
        {
            ChatTemplate = named is null ? json.String("chat_template") : named.GetValueOrDefault("default"),
            NamedChatTemplates = named ?? new Dictionary<string, string>(),
            BosToken = Token(json, "bos_token"),
            EosToken = Token(json, "eos_token"),
            PadToken = Token(json, "pad_token"),
            UnkToken = Token(json, "unk_token"),
            AddBosToken = json.Bool("add_bos_token"),
            AddEosToken = json.Bool("add_eos_token"),
            ModelMaxLength = json.Double("model_max_length") is { } max && max < UnlimitedLength ? (long)max : null,
        };
    }

    /// <summary>Null unless chat_template is a list of {name, template}.</summary>
    private static Dictionary<string, string>? ReadNamedTemplates(JsonFields json)
    {
        if (json.Find("chat_template") is not { ValueKind: JsonValueKind.Array } list)
        {
            return null;
        }
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var entry = new JsonFields(item, json.File, $"chat_template[{i++}]");
            var name = entry.String("name") ?? throw ModelFormatException.In(json.File, entry.FieldPath("name"), "missing");
            named[name] = entry.String("template") ?? throw ModelFormatException.In(json.File, entry.FieldPath("template"), "missing");
        }
        return named;
    }

    /// <summary>A special token given as a plain string or as a serialised AddedToken object {content: ...}.</summary>
    private static string? Token(JsonFields json, string field)
    {
        if (json.Find(field) is { ValueKind: JsonValueKind.Object })
        {
            var added = json.Object(field)!.Value;
            return added.String("content") ?? throw ModelFormatException.In(json.File, added.FieldPath("content"), "missing");
        }
        return json.String(field);
    }
}
