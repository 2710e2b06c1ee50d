using AlignLab.Engine.Tokenizers.Json;

namespace AlignLab.Engine.Tokenizers;

/// <summary>Entry points that build a <see cref="Tokenizer"/> from model files.</summary>
public static partial class TokenizerLoader
{
    /// <summary>A Hugging Face tokenizer.json, optionally with its tokenizer_config.json.</summary>
    public static Tokenizer FromTokenizerJson(string tokenizerJsonPath, string? tokenizerConfigPath = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJsonPath);
        Require(tokenizerJsonPath);
        if (tokenizerConfigPath is not null)
        {
            Require(tokenizerConfigPath);
        }
        return new Tokenizer(TokenizerJsonReader.Read(tokenizerJsonPath, tokenizerConfigPath, null));
    }

    /// <summary>A Hugging Face tokenizer.json held in memory; <paramref name="source"/> names it in errors.</summary>
    public static Tokenizer FromTokenizerJsonText(string json, string source = "tokenizer.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = Formats.JsonFile.Parse(System.Text.Encoding.UTF8.GetBytes(json), source);
        return new Tokenizer(TokenizerJsonReader.Read(doc, source, null, null));
    }

    /// <summary>
    /// A Hugging Face model folder: tokenizer.json, plus tokenizer_config.json and config.json when
    /// present (for BOS/EOS).
    /// </summary>
    public static Tokenizer FromFolder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var json = Path.Combine(directory, "tokenizer.json");
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: directory not found");
        }
        Require(json);
        var config = Path.Combine(directory, "tokenizer_config.json");
        var modelConfig = Path.Combine(directory, "config.json");
        return new Tokenizer(TokenizerJsonReader.Read(json, File.Exists(config) ? config : null, File.Exists(modelConfig) ? modelConfig : null));
    }

    private static void Require(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
    }
}
