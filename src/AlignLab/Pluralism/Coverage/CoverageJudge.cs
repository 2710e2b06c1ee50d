using AlignLab.JustEval;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// Asks the judge one coverage question through a <see cref="JudgeChannel"/>: one request; when its reply cannot be
/// read (<see cref="CoverageReplyParser"/>), one retry that shows the judge its reply and the problem; still unreadable,
/// a failure with the reason — recorded and reported, never a default. Without a request left in the run's budget, pending.
/// </summary>
public sealed class CoverageJudge(JudgeChannel channel)
{
    public async Task<CoverageVerdict> AskAsync(CoverageItem item, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(item);
        var conversation = CoveragePrompts.Conversation(item.Task, item.Instruction, item.Reference, item.Answer);
        var replies = new List<string>();
        var first = await channel.AskAsync(conversation, replies, cancel).ConfigureAwait(false);
        var usage = first.Usage;
        if (!first.Sent || first.Failure is not null)
        {
            return Ended(first, replies, usage);
        }
        if (CoverageReplyParser.Parse(item.Task, first.Reply!.Text, out var problem) is { } result)
        {
            return Judged(result, replies, usage);
        }
        var retry = await channel.AskAsync(CoveragePrompts.RetryConversation(conversation, first.Reply.Text, problem, item.Task), replies, cancel).ConfigureAwait(false);
        usage += retry.Usage;
        if (!retry.Sent || retry.Failure is not null)
        {
            return Ended(retry with { Failure = retry.Failure is null ? null : "the first reply could not be used (" + problem + ") and the retry failed: " + retry.Failure }, replies, usage);
        }
        return CoverageReplyParser.Parse(item.Task, retry.Reply!.Text, out var retryProblem) is { } retried
            ? Judged(retried, replies, usage)
            : new CoverageVerdict { Outcome = JudgmentOutcome.Failed, Failure = "no usable reply after a retry: " + retryProblem, Replies = replies, Usage = usage };
    }

    private static CoverageVerdict Judged(System.Text.Json.Nodes.JsonObject result, List<string> replies, TokenUsage usage)
        => new() { Outcome = JudgmentOutcome.Judged, Result = result, Replies = replies, Usage = usage };

    /// <summary>A request that was not sent (pending) or that the judge could not answer (failed).</summary>
    private static CoverageVerdict Ended(JudgeExchange exchange, List<string> replies, TokenUsage usage) => exchange.Sent
        ? new CoverageVerdict { Outcome = JudgmentOutcome.Failed, Failure = exchange.Failure, Replies = replies, Usage = usage }
        : new CoverageVerdict { Outcome = JudgmentOutcome.Pending, Replies = replies, Usage = usage };
}
