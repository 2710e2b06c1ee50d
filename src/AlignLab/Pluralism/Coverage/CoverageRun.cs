using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.JustEval;
using AlignLab.Runs;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// Asks the coverage judge every item, resumably, as <see cref="JudgeRun"/> judges answers: items whose verdict is in
/// the cache (same task, texts, judge and prompt) cost no request; the rest go to the judge
/// <see cref="CoverageSettings.Concurrency"/> at a time (<see cref="CoverageJudge"/>, one retry), each verdict appended
/// to the cache the moment it is made. Failures are reported and asked again by the next run; items left without a
/// request by <see cref="CoverageSettings.MaxRequests"/> are pending.
/// </summary>
public static class CoverageRun
{
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<CoverageRunResult> ExecuteAsync(IReadOnlyList<CoverageItem> items, ILanguageModel judge, CoverageSettings settings,
        IJudgeProgress? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        using var cache = KeyedJsonlCache<CoverageVerdict>.Open(settings.CachePath, items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal),
            ReadVerdict);
        var verdicts = new CoverageVerdict?[items.Count];
        var toAsk = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (cache.TryGet(items[i].Key, out var verdict))
            {
                verdicts[i] = verdict;
            }
            else
            {
                toAsk.Add(i);
            }
        }
        var cached = items.Count - toAsk.Count;
        progress?.Started(items.Count, cached);
        var coverageJudge = new CoverageJudge(new JudgeChannel(judge, settings.MaxNewTokens, new RequestBudget(settings.MaxRequests)));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancel };
        await Parallel.ForEachAsync(toAsk, parallel, async (i, token) =>
        {
            var verdict = await coverageJudge.AskAsync(items[i], token).ConfigureAwait(false);
            if (verdict.Outcome == JudgmentOutcome.Judged)
            {
                cache.Add(items[i].Key, verdict, Line(items[i], verdict));
            }
            verdicts[i] = verdict;
            progress?.Advanced(items[i].Id, verdict.Outcome);
        }).ConfigureAwait(false);
        return Result(items, verdicts, cached, toAsk);
    }

    /// <summary>The keys among <paramref name="items"/>' that the cache holds, read without writing anything (for a dry run).</summary>
    public static IReadOnlySet<string> CachedKeys(IReadOnlyList<CoverageItem> items, string cachePath)
    {
        ArgumentNullException.ThrowIfNull(items);
        var cached = JsonlCache.Keys(cachePath);
        return items.Select(i => i.Key).Where(cached.Contains).ToHashSet(StringComparer.Ordinal);
    }

    private static CoverageRunResult Result(IReadOnlyList<CoverageItem> items, CoverageVerdict?[] verdicts, int cached, List<int> asked)
    {
        var failures = new List<CoverageFailure>();
        var usage = default(TokenUsage);
        int judged = 0, pending = 0;
        foreach (var i in asked)
        {
            var verdict = verdicts[i]!;
            usage += verdict.Usage;
            switch (verdict.Outcome)
            {
                case JudgmentOutcome.Judged:
                    judged++;
                    break;
                case JudgmentOutcome.Failed:
                    failures.Add(new CoverageFailure(items[i], verdict.Failure!));
                    break;
                default:
                    pending++;
                    break;
            }
        }
        var done = new Dictionary<string, CoverageVerdict>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (verdicts[i] is { Outcome: JudgmentOutcome.Judged } verdict)
            {
                done[items[i].Key] = verdict;
            }
        }
        return new CoverageRunResult { Verdicts = done, Items = items.Count, Cached = cached, Judged = judged, Failures = failures, Pending = pending, Usage = usage };
    }

    private static byte[] Line(CoverageItem item, CoverageVerdict verdict)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriteOptions))
        {
            json.WriteStartObject();
            json.WriteString("key", item.Key);
            json.WriteString("task", CoverageTasks.Name(item.Task));
            json.WriteString("answer_sha256", item.AnswerHash);
            json.WriteString("judge", item.Judge);
            json.WriteString("prompt_sha256", item.PromptHash);
            json.WritePropertyName("result");
            verdict.Result!.WriteTo(json);
            JudgmentJson.WriteReplies(json, verdict.Replies);
            JudgmentJson.WriteUsage(json, verdict.Usage);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static CoverageVerdict ReadVerdict(JsonElement root)
    {
        var task = root.TryGetProperty("task", out var name) && name.ValueKind == JsonValueKind.String
            ? Enum.GetValues<CoverageTask>().Cast<CoverageTask?>().FirstOrDefault(t => CoverageTasks.Name(t!.Value) == name.GetString())
            : null;
        if (task is null || !root.TryGetProperty("result", out var result) || !CoverageReplyParser.IsNormalized(task.Value, result))
        {
            throw new FormatException("expected {\"task\": \"missing\" | \"topics\" | \"stance\", \"result\": that task's result}");
        }
        var usage = JudgmentJson.ReadUsage(root, out var problem) ?? throw new FormatException(problem);
        return new CoverageVerdict
        {
            Outcome = JudgmentOutcome.Judged,
            Result = JsonNode.Parse(result.GetRawText())!.AsObject(),
            Replies = JudgmentJson.ReadReplies(root),
            Usage = usage,
        };
    }
}
