using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tokenizers.Gguf;

namespace AlignLab.Engine.Tokenizers;

public static partial class TokenizerLoader
{
    /// <summary>The tokenizer stored in a GGUF file's tokenizer.ggml.* metadata (the file may be vocab-only).</summary>
    public static Tokenizer FromGguf(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new Tokenizer(GgufTokenizerBuilder.Build(GgufVocabularyReader.Read(file)));
    }

    /// <summary>
    /// Whatever <paramref name="path"/> holds: a GGUF file, a tokenizer.json, or a Hugging Face folder.
    /// </summary>
    public static Tokenizer FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return FromFolder(path);
        }
        if (!File.Exists(path))
        {
            // No FileName: the CLI then prints this message, which says what was tried.
            throw new FileNotFoundException($"{path}: not found (expected a GGUF file, a tokenizer.json or a folder holding tokenizer.json)");
        }
        if (IsGguf(path))
        {
            using var file = GgufFile.Open(path);
            return FromGguf(file);
        }
        var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json");
        return FromTokenizerJson(path, File.Exists(config) ? config : null);
    }

    private static bool IsGguf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
    }
}
