namespace AlignLab.Engine.Tokenizers.AddedTokens;

/// <summary>
/// A token llama.cpp matches in the raw text: one with the control, user-defined or unknown attribute.
/// Control and unknown ones are only matched with parse-special on.
/// </summary>
internal sealed record LlamaSpecialToken(int Id, string Text, bool OnlyWithParseSpecial, bool LStrip, bool RStrip);
