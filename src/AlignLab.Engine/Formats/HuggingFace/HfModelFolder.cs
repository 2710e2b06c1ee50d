using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>
/// A Hugging Face model folder (a local checkout or a hub snapshot): config.json, the optional
/// generation and tokenizer configs, and the safetensors weights, mapped when first asked for.
/// </summary>
public sealed class HfModelFolder : IDisposable
{
    public const string ConfigFile = "config.json";
    public const string GenerationConfigFile = "generation_config.json";
    public const string TokenizerConfigFile = "tokenizer_config.json";
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>transformers 4.43+ may save the chat template beside tokenizer_config.json instead of inside it (see <see cref="Models.LocalModel"/>).</summary>
    public const string ChatTemplateFile = "chat_template.jinja";

    private readonly Lazy<SafetensorsTensorSource> _tensors;

    private HfModelFolder(string path)
    {
        Path = path;
        Config = HfConfigReader.Read(File(ConfigFile));
        GenerationConfig = Optional(GenerationConfigFile, GenerationConfig.Read);
        TokenizerConfig = Optional(TokenizerConfigFile, TokenizerConfig.Read);
        TokenizerJsonPath = System.IO.File.Exists(File(TokenizerFile)) ? File(TokenizerFile) : null;
        _tensors = new(() => SafetensorsTensorSource.OpenFolder(path));
    }

    public string Path { get; }

    public ModelConfig Config { get; }

    public GenerationConfig? GenerationConfig { get; }

    public TokenizerConfig? TokenizerConfig { get; }

    /// <summary>tokenizer.json, when the folder has one.</summary>
    public string? TokenizerJsonPath { get; }

    /// <summary>Whether the folder holds safetensors weights (sharded or single).</summary>
    public bool HasWeights
        => System.IO.File.Exists(File(SafetensorsIndex.FileName)) || System.IO.File.Exists(File(SafetensorsTensorSource.SingleFileName));

    /// <summary>The weights; mapped on first access, and a format error when the folder has none.</summary>
    public ITensorSource Tensors => _tensors.Value;

    /// <summary>Opens <paramref name="directory"/>, which must contain config.json.</summary>
    public static HfModelFolder Open(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: not a folder");
        }
        if (!System.IO.File.Exists(System.IO.Path.Combine(directory, ConfigFile)))
        {
            throw ModelFormatException.In(directory, ConfigFile, "missing: not a Hugging Face model folder");
        }
        return new HfModelFolder(directory);
    }

    /// <summary>The weights checked against <see cref="Config"/>.</summary>
    public ModelWeights LoadWeights() => new(Tensors, Config);

    public void Dispose()
    {
        if (_tensors.IsValueCreated)
        {
            _tensors.Value.Dispose();
        }
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private T? Optional<T>(string name, Func<string, T> read) where T : class
        => System.IO.File.Exists(File(name)) ? read(File(name)) : null;
}
