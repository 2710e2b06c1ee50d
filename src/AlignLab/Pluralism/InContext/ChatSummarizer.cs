using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlignLab.Backends;
using AlignLab.Engine.Templates;
using AlignLab.Urial;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// A chat model (local through its chat template, or served) asked, in one user message, for a 2–3 sentence summary
/// of an answer to a query, answered greedily. The reply is cleaned like a URIAL answer (fences removed, trailing
/// separator lines cut, trimmed), since it is shown inside a fenced block.
/// </summary>
public sealed class ChatSummarizer(ILanguageModel model, string name) : IAnswerSummarizer
{
    /// <summary>Most tokens of a summary.</summary>
    public const int MaxNewTokens = 200;

    /// <summary>What the summarizer is asked to do, before the query and the answer.</summary>
    public const string Instruction =
        "Summarize the answer below in 2 to 3 sentences. Keep its main points, its stance and its structure in brief, and write only the summary.";

    private readonly ILanguageModel _model = model ?? throw new ArgumentNullException(nameof(model));

    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("the summarizer needs a name", nameof(name)) : name;

    public string PromptSha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        Prompt("{query}", "{answer}") + "\0" + MaxNewTokens.ToString(CultureInfo.InvariantCulture))));

    /// <summary>The user message for <paramref name="query"/> and <paramref name="answer"/>.</summary>
    public static string Prompt(string query, string answer)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(answer);
        return $"{Instruction}\n\nQuery:\n{query.Trim()}\n\nAnswer:\n{answer.Trim()}";
    }

    public string Summarize(string query, string answer, CancellationToken cancel = default)
    {
        var request = new ChatCompletionRequest { MaxNewTokens = MaxNewTokens };
        var reply = _model.CompleteChatAsync([new ChatTurn("user", Prompt(query, answer))], request, cancel).GetAwaiter().GetResult();
        return UrialAnswerCleanup.Clean(reply.Text);
    }
}
