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
}
