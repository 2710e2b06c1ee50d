using System.Text.Json;
using AlignLab.Engine.Formats;

namespace AlignLab.Engine.Templates;

/// <summary>Finds the chat template a model ships with.</summary>
public static class ChatTemplateSource
{
    /// <summary>The chat template of a model given by path: a Hugging Face model folder, or a GGUF file.</summary>
    /// <exception cref="NotSupportedException">A GGUF file: its reader is not wired in yet.</exception>
    public static ChatTemplate FromModel(string path)
    {
        if (Directory.Exists(path))
        {
            return FromHuggingFaceFolder(path);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        // GGUF hook, the single place to wire the GGUF reader in: the template is the metadata string
        //   using var file = AlignLab.Engine.Formats.Gguf.GgufFile.Open(path);
        //   if (file.TryGetString("tokenizer.chat_template", out var text))
        //       return ChatTemplate.Parse(text, path + " (tokenizer.chat_template)");
        //   throw ModelFormatException.In(path, "tokenizer.chat_template", "missing");
        throw new NotSupportedException($"{path}: reading chat templates from GGUF files is not supported yet; give a Hugging Face model folder or --template FILE");
    }

    /// <summary>
    /// The chat template of a Hugging Face model folder: <c>chat_template</c> in tokenizer_config.json
    /// (a string, or a list of <c>{name, template}</c> of which "default" is used), else a
    /// <c>chat_template.jinja</c> file beside it, as newer transformers versions save it.
    /// </summary>
    /// <exception cref="ModelFormatException">Neither holds a usable template.</exception>
    public static ChatTemplate FromHuggingFaceFolder(string folder)
    {
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var jinjaPath = Path.Combine(folder, "chat_template.jinja");
        if (File.Exists(configPath) && FromTokenizerConfig(configPath) is { } fromConfig)
        {
            return ChatTemplate.Parse(fromConfig, configPath);
        }
        if (File.Exists(jinjaPath))
        {
            return ChatTemplate.Parse(File.ReadAllText(jinjaPath), jinjaPath);
        }
        throw File.Exists(configPath)
            ? ModelFormatException.In(configPath, "chat_template", "missing, and there is no chat_template.jinja beside it")
            : new FileNotFoundException($"{folder}: no tokenizer_config.json or chat_template.jinja", configPath);
    }

    /// <summary>The template text in a tokenizer_config.json, or null when it has none.</summary>
    public static string? FromTokenizerConfig(string path)
    {
        using var document = ParseJson(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("chat_template", out var template)
            || template.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return template.ValueKind switch
        {
            JsonValueKind.String => template.GetString(),
            JsonValueKind.Array => NamedTemplate(path, template, "default"),
            _ => throw ModelFormatException.In(path, "chat_template", $"expected a string or a list, found {template.ValueKind}"),
        };
    }

    private static string NamedTemplate(string path, JsonElement list, string wanted)
    {
        var names = new List<string>();
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("template", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw ModelFormatException.In(path, "chat_template", "list entries must be {\"name\": string, \"template\": string}");
            }
            if (name.GetString() == wanted)
            {
                return text.GetString()!;
            }
            names.Add(name.GetString()!);
        }
        throw ModelFormatException.In(path, "chat_template", $"no template named '{wanted}' (found: {string.Join(", ", names)})");
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw ModelFormatException.In(path, $"JSON line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}", e.Message);
        }
    }
}
