using AlignLab.Backends;

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
    private readonly JudgeChannel _channel = new(judge, settings.MaxNewTokens, budget);

    public async Task<Judgment> JudgeAsync(JudgeItem item, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(item);
        var aspects = Aspects.Of(item.Mode);
        var conversation = settings.Prompts.Conversation(item.Mode, item.Record.Instruction, item.Output);
        var replies = new List<string>();
        var usage = default(TokenUsage);

        var first = await _channel.AskAsync(conversation, replies, cancel).ConfigureAwait(false);
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

        var retry = await _channel.AskAsync(JudgePrompts.RetryConversation(conversation, first.Reply.Text, parsed, item.Mode), replies, cancel).ConfigureAwait(false);
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
}
