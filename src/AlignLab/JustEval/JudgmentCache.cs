using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Runs;

namespace AlignLab.JustEval;

/// <summary>
/// Finished judgments by <see cref="JudgeItem.Key"/> (answer hash, judge, prompt hash), in a <see cref="KeyedJsonlCache{T}"/>
/// shared by runs (one flushed line each, torn last lines dropped, one writer at a time). Only complete judgments are
/// kept: a failure is tried again by the next run. <see cref="Add"/> may be called from several threads.
/// </summary>
public sealed class JudgmentCache : IDisposable
{
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly KeyedJsonlCache<Judgment> _cache;

    private JudgmentCache(KeyedJsonlCache<Judgment> cache) => _cache = cache;

    /// <summary>Opens or creates the cache for writing, holding the judgments whose keys are in <paramref name="wanted"/>.</summary>
    public static JudgmentCache Open(string path, IReadOnlySet<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new JudgmentCache(KeyedJsonlCache<Judgment>.Open(path, wanted, ReadJudgment));
    }

    /// <summary>The keys among <paramref name="wanted"/> that a cache file holds, read without writing anything (a torn last line is ignored).</summary>
    public static IReadOnlySet<string> FindKeys(string path, IReadOnlySet<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return JsonlCache.Keys(path).Where(wanted.Contains).ToHashSet(StringComparer.Ordinal);
    }

    public bool TryGet(string key, out Judgment judgment) => _cache.TryGet(key, out judgment);

    /// <summary>Appends a complete judgment of <paramref name="item"/> and flushes it to disk; failures and pending items are not kept.</summary>
    public void Add(JudgeItem item, Judgment judgment)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(judgment);
        if (judgment.Outcome != JudgmentOutcome.Judged)
        {
            throw new ArgumentException("only complete judgments are cached", nameof(judgment));
        }
        _cache.Add(item.Key, judgment, Line(item, judgment));
    }

    public void Dispose() => _cache.Dispose();

    private static byte[] Line(JudgeItem item, Judgment judgment)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriteOptions))
        {
            json.WriteStartObject();
            json.WriteString("key", item.Key);
            json.WriteString("answer_sha256", item.AnswerHash);
            json.WriteString("judge", item.Judge);
            json.WriteString("prompt_sha256", item.PromptHash);
            json.WriteString("mode", Aspects.Name(item.Mode));
            JudgmentJson.WriteParsedResult(json, judgment.Scores);
            JudgmentJson.WriteReplies(json, judgment.Replies);
            JudgmentJson.WriteUsage(json, judgment.Usage);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static Judgment ReadJudgment(JsonElement root)
    {
        if (!root.TryGetProperty("parsed_result", out var parsed))
        {
            throw new FormatException("\"parsed_result\" is missing");
        }
        var scores = JudgmentJson.ReadParsedResult(parsed, out var problem) ?? throw new FormatException(problem);
        var usage = JudgmentJson.ReadUsage(root, out var usageProblem) ?? throw new FormatException(usageProblem);
        return new Judgment { Outcome = JudgmentOutcome.Judged, Scores = scores, Replies = JudgmentJson.ReadReplies(root), Usage = usage };
    }
}
