using System.Globalization;
using System.Text;
using AlignLab.Engine.Generation;
using AlignLab.Server.Inference;

namespace AlignLab.Server.Api;

/// <summary>What one choice has generated so far: ids, text, and how it ended.</summary>
internal sealed class ChoiceState(int index)
{
    private readonly StringBuilder _text = new();

    public int Index { get; } = index;

    public List<TokenEvent> Tokens { get; } = [];

    public string Text => _text.ToString();

    public GenerationEndReason End { get; private set; }

    /// <summary>Characters of token text before the next token (the legacy logprobs' text_offset).</summary>
    public int TextOffset { get; set; }

    public void Add(TokenEvent token)
    {
        Tokens.Add(token);
        _text.Append(token.Text);
        End = token.End;
    }

    /// <summary>OpenAI's finish_reason: "stop" for a stop token or string, "length" for the token limit or a full context (and no generation at all).</summary>
    public string FinishReason => End is GenerationEndReason.StopToken or GenerationEndReason.StopString ? "stop" : "length";

    /// <summary>
    /// vLLM's stop_reason: the stop string that ended the text, or the id of a stop token other than the model's
    /// end-of-generation ids; null otherwise.
    /// </summary>
    public object? StopReason(ServedModel model, IReadOnlyList<string> stops, bool skipSpecialTokens)
    {
        if (End == GenerationEndReason.StopToken)
        {
            var id = Tokens[^1].Id;
            return model.EndOfGenerationIds.Contains(id) ? null : id;
        }
        if (End != GenerationEndReason.StopString)
        {
            return null;
        }
        // The text is cut right before the stop string: find the one that begins there in the full decode.
        var full = model.Tokenizer.Decode([.. Tokens.Select(t => t.Id)], skipSpecialTokens);
        var cut = Text.Length;
        return stops.FirstOrDefault(s => string.CompareOrdinal(full, Math.Min(cut, full.Length), s, 0, s.Length) == 0)
            ?? stops.Where(s => full.Contains(s, StringComparison.Ordinal)).MinBy(s => full.IndexOf(s, StringComparison.Ordinal));
    }

    public static string TokenLabel(ServedModel model, int id, bool asIds)
        => asIds ? "token_id:" + id.ToString(CultureInfo.InvariantCulture) : model.TokenText(id);
}
