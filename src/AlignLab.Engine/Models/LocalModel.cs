using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Hub;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Models;

/// <summary>How a local model is stored.</summary>
public enum LocalModelFormat
{
    /// <summary>One GGUF file (possibly vocab-only).</summary>
    Gguf,

    /// <summary>A Hugging Face folder with config.json (and usually safetensors weights).</summary>
    HuggingFaceFolder,

    /// <summary>A folder holding only tokenizer files (tokenizer.json, tokenizer_config.json).</summary>
    TokenizerFolder,
}

/// <summary>
/// The files of a model on this machine, whatever form they take: one entry point that every
/// command uses to turn a model reference into its config, tensors, tokenizer and chat template.
/// Parts are read when first asked for, so a command that needs only the tokenizer does not fail
/// on, say, an architecture it would not run.
/// </summary>
public sealed class LocalModel : IDisposable
{
    private readonly Lazy<HfModelFolder?> _folder;
    private readonly Lazy<TokenizerConfig?> _tokenizerConfig;
    private readonly Lazy<ITensorSource> _tensors;

    private LocalModel(ModelReference reference, LocalModelFormat format, GgufFile? gguf)
    {
        Reference = reference;
        Format = format;
        Gguf = gguf;
        _folder = new(() => format == LocalModelFormat.HuggingFaceFolder ? HfModelFolder.Open(Path) : null);
        _tokenizerConfig = new(() => format == LocalModelFormat.Gguf ? null : ReadTokenizerConfig(Path));
        _tensors = new(() => format switch
        {
            LocalModelFormat.Gguf => new GgufTensorSource(gguf!, ownsFile: false),
            LocalModelFormat.HuggingFaceFolder => Folder!.Tensors,
            _ => throw ModelFormatException.In(Path, "weights", "missing: the folder holds only tokenizer files"),
        });
    }

    public ModelReference Reference { get; }

    public LocalModelFormat Format { get; }

    /// <summary>The GGUF file or the folder.</summary>
    public string Path => Reference.Path!;

    /// <summary>The parsed GGUF file; null for folders.</summary>
    public GgufFile? Gguf { get; }

    /// <summary>The Hugging Face folder (config.json parsed); null for GGUF files and tokenizer-only folders.</summary>
    public HfModelFolder? Folder => _folder.Value;

    /// <summary>Whether the files hold weights (a vocab-only GGUF or a tokenizer folder does not).</summary>
    public bool HasWeights => Format switch
    {
        LocalModelFormat.Gguf => Gguf!.Tensors.Count > 0,
        LocalModelFormat.HuggingFaceFolder => Folder!.HasWeights,
        _ => false,
    };

    /// <summary>Resolves <paramref name="reference"/> (file, folder, cached hub id) and opens it; endpoints are refused.</summary>
    public static LocalModel Open(string reference) => Open(ModelReference.Resolve(reference));

    public static LocalModel Open(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Kind switch
        {
            ModelReferenceKind.GgufFile => new LocalModel(reference, LocalModelFormat.Gguf, GgufFile.Open(reference.Path!)),
            ModelReferenceKind.ModelFolder => new LocalModel(reference,
                File.Exists(System.IO.Path.Combine(reference.Path!, HfModelFolder.ConfigFile)) ? LocalModelFormat.HuggingFaceFolder : LocalModelFormat.TokenizerFolder,
                gguf: null),
            _ => throw new ModelReferenceException($"model \"{reference.Text}\": an endpoint; this needs local model files (a GGUF file, a model folder or a cached hub id)"),
        };
    }

    /// <summary>The hyperparameters; a format error when the files have none (a tokenizer-only folder).</summary>
    public ModelConfig ReadConfig() => Format switch
    {
        LocalModelFormat.Gguf => GgufModelConfig.Read(Gguf!),
        LocalModelFormat.HuggingFaceFolder => Folder!.Config,
        _ => throw ModelFormatException.In(Path, HfModelFolder.ConfigFile, "missing: the folder holds only tokenizer files"),
    };

    /// <summary>The tensors (the GGUF file's, or the folder's safetensors), owned by this model.</summary>
    public ITensorSource Tensors => _tensors.Value;

    /// <summary>The model's tokenizer; a format error when the files hold none.</summary>
    public Tokenizer LoadTokenizer()
    {
        if (Format == LocalModelFormat.Gguf)
        {
            return TokenizerLoader.FromGguf(Gguf!);
        }
        return File.Exists(System.IO.Path.Combine(Path, HfModelFolder.TokenizerFile))
            ? TokenizerLoader.FromFolder(Path)
            : throw ModelFormatException.In(Path, HfModelFolder.TokenizerFile, "missing: the folder has no tokenizer");
    }

    /// <summary>Whether the model ships a default chat template.</summary>
    public bool HasChatTemplate => FindChatTemplate() is not null;

    /// <summary>
    /// The model's default chat template, parsed: GGUF <c>tokenizer.chat_template</c>; for folders,
    /// tokenizer_config.json's <c>chat_template</c> (a string, or the entry named "default" of a list),
    /// else chat_template.jinja beside it. A format error says where it looked when there is none.
    /// </summary>
    public ChatTemplate LoadChatTemplate()
    {
        if (FindChatTemplate() is { } found)
        {
            return Templates.ChatTemplate.Parse(found.Text, found.Source);
        }
        if (Format == LocalModelFormat.Gguf)
        {
            throw ModelFormatException.In(Path, "tokenizer.chat_template", "missing: the file has no chat template");
        }
        var named = _tokenizerConfig.Value?.NamedChatTemplates ?? new Dictionary<string, string>();
        throw ModelFormatException.In(System.IO.Path.Combine(Path, HfModelFolder.TokenizerConfigFile), "chat_template", named.Count > 0
            ? $"no template named 'default' (found: {string.Join(", ", named.Keys)})"
            : $"missing, and there is no {HfModelFolder.ChatTemplateFile} beside it");
    }

    /// <summary>The BOS token's text, as chat templates receive it; null when the model names none.</summary>
    public string? BosToken => Format == LocalModelFormat.Gguf ? GgufTokenText("tokenizer.ggml.bos_token_id") : _tokenizerConfig.Value?.BosToken;

    /// <summary>The EOS token's text, as chat templates receive it; null when the model names none.</summary>
    public string? EosToken => Format == LocalModelFormat.Gguf ? GgufTokenText("tokenizer.ggml.eos_token_id") : _tokenizerConfig.Value?.EosToken;

    public void Dispose()
    {
        if (_tensors.IsValueCreated && Format == LocalModelFormat.Gguf)
        {
            _tensors.Value.Dispose();
        }
        Gguf?.Dispose();
        if (_folder.IsValueCreated)
        {
            _folder.Value?.Dispose();
        }
    }

    private string? GgufTokenText(string idKey)
    {
        if (!Gguf!.TryGetUInt32(idKey, out var id) || !Gguf.TryGetArray("tokenizer.ggml.tokens", out var tokens))
        {
            return null;
        }
        var texts = tokens.AsStringArray();
        return id < texts.Length ? texts[id] : throw ModelFormatException.In(Path, idKey, $"token id {id} is outside the vocabulary of {texts.Length}");
    }

    /// <summary>The default template's text and where it came from (for error messages), or null.</summary>
    private (string Text, string Source)? FindChatTemplate()
    {
        if (Format == LocalModelFormat.Gguf)
        {
            return Gguf!.TryGetString("tokenizer.chat_template", out var text) ? (text, Path + " (tokenizer.chat_template)") : null;
        }
        if (_tokenizerConfig.Value?.ChatTemplate is { } configured)
        {
            return (configured, System.IO.Path.Combine(Path, HfModelFolder.TokenizerConfigFile));
        }
        var file = System.IO.Path.Combine(Path, HfModelFolder.ChatTemplateFile);
        return File.Exists(file) ? (File.ReadAllText(file), file) : null;
    }

    private static TokenizerConfig? ReadTokenizerConfig(string folder)
    {
        var path = System.IO.Path.Combine(folder, HfModelFolder.TokenizerConfigFile);
        return File.Exists(path) ? TokenizerConfig.Read(path) : null;
    }
}
