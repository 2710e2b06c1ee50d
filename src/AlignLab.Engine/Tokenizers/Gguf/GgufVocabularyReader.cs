using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Tokenizers.Gguf;

/// <summary>The one adapter between the GGUF reader and the tokenizer: reads tokenizer.ggml.* into a <see cref="GgufVocabulary"/>.</summary>
internal static class GgufVocabularyReader
{
    public static GgufVocabulary Read(GgufFile file)
    {
        var source = file.Name ?? "GGUF";
        if (!file.TryGetString("tokenizer.ggml.model", out var model))
        {
            throw ModelFormatException.In(source, "tokenizer.ggml.model", "missing: the file has no tokenizer");
        }
        var tokens = file.GetArray("tokenizer.ggml.tokens").AsStringArray();
        var scores = file.TryGetArray("tokenizer.ggml.scores", out var s) ? s.AsFloatArray() : null;
        var types = file.TryGetArray("tokenizer.ggml.token_type", out var t) ? t.AsInt32Array() : null;
        if (scores is not null && scores.Length < tokens.Length)
        {
            throw ModelFormatException.In(source, "tokenizer.ggml.scores", $"{scores.Length} scores for {tokens.Length} tokens");
        }
        if (types is not null && types.Length < tokens.Length)
        {
            throw ModelFormatException.In(source, "tokenizer.ggml.token_type", $"{types.Length} types for {tokens.Length} tokens");
        }
        return new GgufVocabulary
        {
            Source = source,
            Model = model,
            Pre = file.TryGetString("tokenizer.ggml.pre", out var pre) ? pre : null,
            ModelName = file.TryGetString("general.name", out var name) ? name : null,
            Tokens = tokens,
            Scores = scores,
            TokenTypes = types,
            Merges = file.TryGetArray("tokenizer.ggml.merges", out var m) ? m.AsStringArray() : null,
            BosId = Id(file, "tokenizer.ggml.bos_token_id"),
            EosId = Id(file, "tokenizer.ggml.eos_token_id"),
            UnknownId = Id(file, "tokenizer.ggml.unknown_token_id"),
            PaddingId = Id(file, "tokenizer.ggml.padding_token_id"),
            AddBos = file.TryGetBool("tokenizer.ggml.add_bos_token", out var addBos) ? addBos : null,
            AddEos = file.TryGetBool("tokenizer.ggml.add_eos_token", out var addEos) ? addEos : null,
            AddSpacePrefix = file.TryGetBool("tokenizer.ggml.add_space_prefix", out var asp) ? asp : null,
        };
    }

    private static int? Id(GgufFile file, string key) => file.TryGetUInt32(key, out var v) ? (int)Math.Min(v, int.MaxValue) : null;
}
