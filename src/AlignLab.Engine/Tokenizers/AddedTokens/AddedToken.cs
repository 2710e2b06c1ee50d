namespace AlignLab.Engine.Tokenizers.AddedTokens;

/// <summary>A token matched in the raw text before the model runs (tokenizer.json "added_tokens").</summary>
internal sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool SingleWord = false,
    bool LStrip = false,
    bool RStrip = false,
    bool Normalized = false);
