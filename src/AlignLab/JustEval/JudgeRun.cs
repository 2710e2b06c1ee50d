using AlignLab.Engine.Formats;

namespace AlignLab.JustEval;

/// <summary>
/// Judges an answer set, resumably: answers whose judgment is in the cache (same answer, judge and prompt) cost no
/// request; the rest go to the judge <see cref="JudgeSettings.Concurrency"/> at a time, each complete judgment
/// appended to the cache the moment it is made. The judgments file is then written whole (atomically), with the
/// run.json — also when the run ends early (cancelled, the judge unreachable), so what was done is never lost and a
/// rerun sends only what is missing. <see cref="JudgeSettings.MaxRequests"/> caps the requests; answers left
/// without one are pending and reported.
/// </summary>
public static class JudgeRun
{
    public static async Task<JudgeRunResult> ExecuteAsync(JudgeJob job, IJudgeProgress? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Settings.Validate();
        job.Files.CheckNotInput(job.AnswersPath);
        var started = DateTimeOffset.UtcNow;
        var manifest = JudgeManifest.Start(job, started);
        using var cache = JudgmentCache.Open(job.Files.Cache, job.Items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal));
        var judged = new (Judgment Judgment, bool Cached)?[job.Items.Count];
        var toJudge = new List<int>();
        for (var i = 0; i < job.Items.Count; i++)
        {
            if (cache.TryGet(job.Items[i].Key, out var judgment))
            {
                judged[i] = (judgment, true);
            }
            else
            {
                toJudge.Add(i);
            }
        }
        progress?.Started(job.Items.Count, job.Items.Count - toJudge.Count);

        var judge = new AnswerJudge(job.Judge, job.Settings, new RequestBudget(job.Settings.MaxRequests));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = job.Settings.Concurrency, CancellationToken = cancel };
        string? error = null;
        JudgeRunResult result;
        try
        {
            await Parallel.ForEachAsync(toJudge, parallel, async (i, token) =>
            {
                var item = job.Items[i];
                var judgment = await judge.JudgeAsync(item, token).ConfigureAwait(false);
                if (judgment.Outcome == JudgmentOutcome.Judged)
                {
                    cache.Add(item, judgment);
                }
                judged[i] = (judgment, false);
                progress?.Advanced(item.Record.Id, judgment.Outcome);
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e is OperationCanceledException ? "cancelled" : e.Message;
            throw;
        }
        finally
        {
            result = Result(job, judged);
            AtomicFile.Write(job.Files.Output, stream => JudgedLines.Write(stream, job, judged));
            JudgeManifest.Finish(manifest, job, result, error, started, DateTimeOffset.UtcNow);
        }
        return result;
    }

    private static JudgeRunResult Result(JudgeJob job, IReadOnlyList<(Judgment Judgment, bool Cached)?> judged)
    {
        var failures = new List<JudgeFailure>();
        int cached = 0, judgedNow = 0, pending = 0;
        var usage = default(TokenUsage);
        for (var i = 0; i < judged.Count; i++)
        {
            if (judged[i] is not var (judgment, fromCache))
            {
                pending++; // never started: the run ended early
                continue;
            }
            if (fromCache)
            {
                cached++;
                continue;
            }
            usage += judgment.Usage;
            switch (judgment.Outcome)
            {
                case JudgmentOutcome.Judged:
                    judgedNow++;
                    break;
                case JudgmentOutcome.Failed:
                    failures.Add(new JudgeFailure(job.Items[i].Record.Id, judgment.Failure!));
                    break;
                default:
                    pending++;
                    break;
            }
        }
        return new JudgeRunResult { Answers = judged.Count, Cached = cached, Judged = judgedNow, Failures = failures, Pending = pending, Usage = usage };
    }
}
