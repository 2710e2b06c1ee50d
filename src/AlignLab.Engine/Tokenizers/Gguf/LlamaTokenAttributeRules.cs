namespace AlignLab.Engine.Tokenizers.Gguf;

/// <summary>
/// Token attributes as llama.cpp derives them at load time: from tokenizer.ggml.token_type, then its
/// fixes by token text (end-of-generation and fill-in-the-middle markers become control tokens even
/// when the file says "normal"; gpt-oss channel markers become user-defined) and by model name (Phi-3's
/// special tokens strip whitespace on their right). These decide which tokens parse-special finds.
/// </summary>
internal static class LlamaTokenAttributeRules
{
    /// <summary>Texts llama.cpp treats as end-of-generation / fill-in-the-middle markers: always control.</summary>
    private static readonly HashSet<string> ControlByText = new(StringComparer.Ordinal)
    {
        // end of turn / generation
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
        "[EOT]", "[EOS]", "<｜end▁of▁sentence｜>", "<end_of_utterance>", "<|eom_id|>", "<|return|>", "<|call|>",
        "<|flush|>", "<|calls|>", "</s>", "<eos>", "<turn|>", "<|tool_response>", "[e~[",
        // fill in the middle
        "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>",
        "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>",
        "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>",
        "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
        "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>",
        "<|file_sep|>",
    };

    private static readonly HashSet<string> AlwaysRendered = new(StringComparer.Ordinal) { "<|channel|>", "<|message|>", "<|start|>", "<|constrain|>" };

    public static TokenAttributes[] Compute(GgufVocabulary vocab)
    {
        var tokens = vocab.Tokens;
        var attrs = new TokenAttributes[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            attrs[i] = vocab.TokenTypes is null ? TokenAttributes.Normal : vocab.TokenTypes[i] switch
            {
                1 => TokenAttributes.Normal,
                2 => TokenAttributes.Unknown,
                3 => TokenAttributes.Control,
                4 => TokenAttributes.UserDefined,
                5 => TokenAttributes.Unused,
                6 => TokenAttributes.Byte,
                _ => TokenAttributes.Undefined,
            };
            if (ControlByText.Contains(tokens[i]))
            {
                attrs[i] |= TokenAttributes.Control;
            }
            if (AlwaysRendered.Contains(tokens[i]))
            {
                attrs[i] = TokenAttributes.UserDefined;
            }
        }
        var name = vocab.ModelName?.ToLowerInvariant() ?? "";
        if (name.Contains("phi-3", StringComparison.Ordinal) || name.Contains("phi3", StringComparison.Ordinal))
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (IsMatchedInText(attrs[i]) || tokens[i] == "</s>")
                {
                    attrs[i] |= TokenAttributes.RStrip;
                }
                if (tokens[i] is "<unk>" or "<s>" or "<|endoftext|>")
                {
                    attrs[i] &= ~TokenAttributes.RStrip;
                }
            }
        }
        return attrs;
    }

    /// <summary>The tokens llama.cpp looks for in the raw text (its special-token cache).</summary>
    public static bool IsMatchedInText(TokenAttributes a)
        => (a & (TokenAttributes.Control | TokenAttributes.UserDefined | TokenAttributes.Unknown)) != 0;

    /// <summary>Tokens that render as nothing unless special tokens are rendered.</summary>
    public static bool IsSpecial(TokenAttributes a) => (a & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0;
}
