using System.Globalization;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Templates;

namespace AlignLab.JustEval;

/// <summary>
/// Judges one answer: one request for a JSON reply; when the reply lacks a valid score for some aspect, one retry that
/// shows the judge its reply and asks for the complete object (scores from both replies count, the retry's winning);
/// still incomplete, a failure naming the aspects and what was wrong — never a default score. A judge that refuses
/// the request itself (HTTP 400, 413 or 422: a prompt too long for it, say) fails this answer only; any other error
/// (a server down after the client's retries with backoff, a bad API key) ends the run. Every request is taken from
/// the run's <see cref="RequestBudget"/>; without one left, the answer is <see cref="JudgmentOutcome.Pending"/>.
/// </summary>
public sealed class AnswerJudge(ILanguageModel judge, JudgeSettings settings, RequestBudget budget)
{
    public async Task<Judgment> JudgeAsync(JudgeItem item, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(item);
        var aspects = Aspects.Of(item.Mode);
        var conversation = settings.Prompts.Conversation(item.Mode, item.Record.Instruction, item.Output);
        var replies = new List<string>();
        var usage = default(TokenUsage);

        var first = await AskAsync(conversation, replies, cancel).ConfigureAwait(false);
        usage += first.Usage;
        if (!first.Sent)
        {
            return Judgment.Pending(replies, usage);
        }
        if (first.Failure is { } refused)
        {
            return Judgment.Failed(refused, replies, usage);
        }
        var parsed = JudgeReplyParser.Parse(first.Reply!.Text, aspects);
        if (parsed.IsComplete)
        {
            return Judged(parsed, replies, usage);
        }

        var retry = await AskAsync(JudgePrompts.RetryConversation(conversation, first.Reply.Text, parsed, item.Mode), replies, cancel).ConfigureAwait(false);
        usage += retry.Usage;
        if (!retry.Sent)
        {
            return Judgment.Pending(replies, usage);
        }
        if (retry.Failure is { } retryRefused)
        {
            return Judgment.Failed("the first reply lacked scores (" + parsed.DescribeProblems() + ") and the retry failed: " + retryRefused, replies, usage);
        }
        parsed = parsed.UpdatedBy(JudgeReplyParser.Parse(retry.Reply!.Text, aspects));
        return parsed.IsComplete
            ? Judged(parsed, replies, usage)
            : Judgment.Failed("no valid score after a retry for " + parsed.DescribeProblems(), replies, usage);
    }

    private static Judgment Judged(ParsedReply parsed, IReadOnlyList<string> replies, TokenUsage usage)
        => new() { Outcome = JudgmentOutcome.Judged, Scores = parsed.Scores, Replies = replies, Usage = usage };

    /// <summary>One request, if the budget allows: its reply (added to <paramref name="replies"/>), or why the judge could not answer it.</summary>
    private async Task<Exchange> AskAsync(IReadOnlyList<ChatTurn> conversation, List<string> replies, CancellationToken cancel)
    {
        if (!budget.TryTake())
        {
            return new Exchange(false, null, null, default);
        }
        ChatCompletion reply;
        try
        {
            reply = await judge.CompleteChatAsync(conversation, new ChatCompletionRequest { MaxNewTokens = settings.MaxNewTokens, JsonObject = true }, cancel).ConfigureAwait(false);
        }
        catch (RemoteModelException e) when (e.Status is 400 or 413 or 422)
        {
            return new Exchange(true, null, "the judge refused the request: " + e.Message, new TokenUsage(1, 0, 0));
        }
        replies.Add(reply.Text);
        var usage = new TokenUsage(1, reply.PromptTokens, reply.CompletionTokens);
        if (reply.End == AnswerEnd.ContextFull && reply.Text.Length == 0)
        {
            return new Exchange(true, reply, string.Create(CultureInfo.InvariantCulture,
                $"the judge prompt's {reply.PromptTokens} tokens leave no room for a reply in the judge's context"), usage);
        }
        return new Exchange(true, reply, null, usage);
    }

    /// <summary>What one request gave: whether it was sent, the reply, a failure instead of a usable reply, and its usage.</summary>
    private sealed record Exchange(bool Sent, ChatCompletion? Reply, string? Failure, TokenUsage Usage);
}
