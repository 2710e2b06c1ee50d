namespace AlignLab.Engine.Tokenizers;

/// <summary>How <see cref="ITokenizer.Encode"/> treats special tokens.</summary>
public sealed record EncodeOptions
{
    /// <summary>Special tokens parsed, nothing added: what chat templates need after rendering.</summary>
    public static EncodeOptions Default { get; } = new();

    /// <summary>
    /// Add what the model's configuration says to add around a single sequence: the tokenizer.json
    /// post-processor (or tokenizer_config.json's add_bos_token / add_eos_token), or GGUF's
    /// tokenizer.ggml.add_bos_token / add_eos_token.
    /// </summary>
    public bool AddSpecialTokens { get; init; }

    /// <summary>Put <see cref="ITokenizer.BosId"/> first even when the configuration does not ask for it (never twice).</summary>
    public bool AddBos { get; init; }

    /// <summary>
    /// Recognise special (control) tokens written in the text, e.g. "&lt;|im_start|&gt;". When false they are
    /// tokenized as plain text; non-special added (user-defined) tokens are still recognised, as in
    /// Hugging Face tokenizers and llama.cpp.
    /// </summary>
    public bool ParseSpecial { get; init; } = true;
}
