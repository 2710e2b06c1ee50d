namespace AlignLab.Engine.Tokenizers.Gguf;

/// <summary>
/// The tokenizer.ggml.* metadata of a GGUF file, as plain data. Only <see cref="GgufVocabularyReader"/>
/// touches the GGUF reader; everything else builds from this record (and tests can make one by hand).
/// Nullable fields are absent keys, so llama.cpp's per-model defaults can apply.
/// </summary>
internal sealed record GgufVocabulary
{
    /// <summary>File name for error messages.</summary>
    public required string Source { get; init; }

    /// <summary>tokenizer.ggml.model: "gpt2" (byte-level BPE) or "llama" (SentencePiece).</summary>
    public required string Model { get; init; }

    /// <summary>tokenizer.ggml.pre: which pre-tokenizer regexes a BPE vocabulary needs.</summary>
    public string? Pre { get; init; }

    /// <summary>general.name: llama.cpp keys a few token attribute fixes on it (Phi-3).</summary>
    public string? ModelName { get; init; }

    public required string[] Tokens { get; init; }

    public float[]? Scores { get; init; }

    /// <summary>tokenizer.ggml.token_type: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.</summary>
    public int[]? TokenTypes { get; init; }

    public string[]? Merges { get; init; }

    public int? BosId { get; init; }

    public int? EosId { get; init; }

    public int? UnknownId { get; init; }

    public int? PaddingId { get; init; }

    public bool? AddBos { get; init; }

    public bool? AddEos { get; init; }

    public bool? AddSpacePrefix { get; init; }
}
