using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Generation;

/// <summary>Prompt text to prompt ids, the way llama.cpp prepares them for generation.</summary>
public static class Prompts
{
    /// <summary>
    /// A plain prompt: special tokens written in the text are parsed, and the BOS token goes first when the
    /// model's tokenizer adds one by default and the text does not already start with it.
    /// </summary>
    public static int[] Plain(Tokenizer tokenizer, string text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        var ids = tokenizer.Encode(text, EncodeOptions.Default);
        return tokenizer.AddBosByDefault && tokenizer.BosId is int bos && (ids.Count == 0 || ids[0] != bos)
            ? [bos, .. ids]
            : [.. ids];
    }

    /// <summary>The text <see cref="Chat"/> tokenizes: the conversation rendered by the chat template, generation prompt added.</summary>
    public static string RenderChat(LocalModel model, string user, string? system = null, ChatTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return RenderChat(template ?? model.LoadChatTemplate(), user, system, model.BosToken, model.EosToken);
    }

    /// <summary>An optional system message and the user message rendered by <paramref name="template"/>, generation prompt added.</summary>
    public static string RenderChat(ChatTemplate template, string user, string? system, string? bosToken, string? eosToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ChatTurn[] turns = system is null ? [new("user", user)] : [new("system", system), new("user", user)];
        return RenderChat(template, turns, bosToken, eosToken);
    }

    /// <summary>A conversation rendered by <paramref name="template"/>, generation prompt added (the assistant answers next).</summary>
    public static string RenderChat(ChatTemplate template, IReadOnlyList<ChatTurn> turns, string? bosToken, string? eosToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(turns);
        var messages = turns.Select(t => (object?)new Dictionary<string, object?> { ["role"] = t.Role, ["content"] = t.Content }).ToList();
        return template.RenderConversation(messages, addGenerationPrompt: true, bosToken ?? "", eosToken ?? "");
    }

    /// <summary>
    /// A one-turn chat prompt: an optional system message and the user message rendered by the model's chat
    /// template (or <paramref name="template"/>) with add_generation_prompt, bos_token and eos_token from the
    /// model, then tokenized as <see cref="Plain"/> does — special tokens parsed, and BOS added only when the
    /// tokenizer wants one and the template did not already write it, so there is never a double BOS.
    /// </summary>
    public static int[] Chat(LocalModel model, Tokenizer tokenizer, string user, string? system = null, ChatTemplate? template = null)
        => Plain(tokenizer, RenderChat(model, user, system, template));
}
