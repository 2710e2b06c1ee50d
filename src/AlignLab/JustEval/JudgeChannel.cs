using System.Globalization;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Templates;

namespace AlignLab.JustEval;

/// <summary>What one request gave: whether it was sent, the reply, a failure instead of a usable reply, and its usage.</summary>
public sealed record JudgeExchange(bool Sent, ChatCompletion? Reply, string? Failure, TokenUsage Usage);

/// <summary>
/// Sends a judge one request of a run at a time, asking for a JSON reply: every request is taken from the run's
/// <see cref="RequestBudget"/> (none left: not sent). A judge that refuses the request itself (HTTP 400, 413 or 422:
/// a prompt too long for it, say) or whose context has no room for a reply gives a failure for this request only; any
/// other error (a server down after the client's retries with backoff, a bad API key) is thrown and ends the run.
/// Shared by every judge task (Just-Eval aspects, the pluralism coverage questions).
/// </summary>
public sealed class JudgeChannel(ILanguageModel judge, int maxNewTokens, RequestBudget budget)
{
    /// <summary>One request, if the budget allows: its reply (added to <paramref name="replies"/>), or why the judge could not answer it.</summary>
    public async Task<JudgeExchange> AskAsync(IReadOnlyList<ChatTurn> conversation, List<string> replies, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(replies);
        if (!budget.TryTake())
        {
            return new JudgeExchange(false, null, null, default);
        }
        ChatCompletion reply;
        try
        {
            reply = await judge.CompleteChatAsync(conversation, new ChatCompletionRequest { MaxNewTokens = maxNewTokens, JsonObject = true }, cancel).ConfigureAwait(false);
        }
        catch (RemoteModelException e) when (e.Status is 400 or 413 or 422)
        {
            return new JudgeExchange(true, null, "the judge refused the request: " + e.Message, new TokenUsage(1, 0, 0));
        }
        replies.Add(reply.Text);
        var usage = new TokenUsage(1, reply.PromptTokens, reply.CompletionTokens);
        if (reply.End == AnswerEnd.ContextFull && reply.Text.Length == 0)
        {
            return new JudgeExchange(true, reply, string.Create(CultureInfo.InvariantCulture,
                $"the judge prompt's {reply.PromptTokens} tokens leave no room for a reply in the judge's context"), usage);
        }
        return new JudgeExchange(true, reply, null, usage);
    }
}
