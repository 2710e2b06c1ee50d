using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Data;
using AlignLab.Runs;

namespace AlignLab.JustEval;

/// <summary>
/// Finished judgments by <see cref="JudgeItem.Key"/> (answer hash, judge, prompt hash), in an append-only JSON Lines
/// file shared by runs: each judgment is one flushed line, so a run killed at any point keeps every judgment it paid
/// for, and a torn last line is dropped when the file is next opened for writing (<see cref="JsonlLog"/>). Only
/// complete judgments are kept: a failure is tried again by the next run. One run writes a cache at a time (a lock
/// file beside it). <see cref="Add"/> may be called from several threads.
/// </summary>
public sealed class JudgmentCache : IDisposable
{
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RunLock _lock;
    private readonly JsonlLog _log;
    private readonly Dictionary<string, Judgment> _entries;
    private readonly Lock _gate = new();

    private JudgmentCache(RunLock fileLock, JsonlLog log, Dictionary<string, Judgment> entries)
    {
        _lock = fileLock;
        _log = log;
        _entries = entries;
    }

    /// <summary>Opens or creates the cache for writing, holding the judgments whose keys are in <paramref name="wanted"/>.</summary>
    public static JudgmentCache Open(string path, IReadOnlySet<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(wanted);
        var fileLock = RunLock.ForFile(path);
        try
        {
            var entries = Read(path, wanted);
            var log = JsonlLog.Open(path, KeyOf);
            return new JudgmentCache(fileLock, log, entries);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>The keys among <paramref name="wanted"/> that a cache file holds, read without writing anything (a torn last line is ignored).</summary>
    public static IReadOnlySet<string> FindKeys(string path, IReadOnlySet<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(wanted);
        return Read(path, wanted).Keys.ToHashSet(StringComparer.Ordinal);
    }

    public bool TryGet(string key, out Judgment judgment)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out judgment!);
        }
    }

    /// <summary>Appends a complete judgment of <paramref name="item"/> and flushes it to disk; failures and pending items are not kept.</summary>
    public void Add(JudgeItem item, Judgment judgment)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(judgment);
        if (judgment.Outcome != JudgmentOutcome.Judged)
        {
            throw new ArgumentException("only complete judgments are cached", nameof(judgment));
        }
        var line = Line(item, judgment);
        lock (_gate)
        {
            if (_entries.TryAdd(item.Key, judgment))
            {
                _log.Append(line);
            }
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        _lock.Dispose();
    }

    private static string KeyOf(JsonElement line) => line.GetProperty("key").GetString() ?? throw new FormatException("\"key\" is null");

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

    /// <summary>The wanted judgments in the file (none when it does not exist); an unterminated last line is a torn write and ignored.</summary>
    private static Dictionary<string, Judgment> Read(string path, IReadOnlySet<string> wanted)
    {
        var entries = new Dictionary<string, Judgment>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return entries;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var reader = new BoundedLineReader(stream, path, ReadLimits.Default.MaxLineBytes);
        while (reader.TryRead(out var line))
        {
            if (!line.Terminated)
            {
                break;
            }
            using var document = Parse(path, line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String)
            {
                throw DataFormatException.At(path, line.Number, "expected a judgment with a \"key\" string");
            }
            if (wanted.Contains(key.GetString()!))
            {
                entries[key.GetString()!] = ReadJudgment(path, line.Number, root);
            }
        }
        return entries;
    }

    private static JsonDocument Parse(string path, FileLine line)
    {
        try
        {
            return JsonDocument.Parse(line.Bytes);
        }
        catch (JsonException e)
        {
            throw DataFormatException.At(path, line.Number, "damaged line (not a complete judgment): " + e.Message);
        }
    }

    private static Judgment ReadJudgment(string path, long line, JsonElement root)
    {
        if (!root.TryGetProperty("parsed_result", out var parsed))
        {
            throw DataFormatException.At(path, line, "\"parsed_result\" is missing");
        }
        var scores = JudgmentJson.ReadParsedResult(parsed, out var problem) ?? throw DataFormatException.At(path, line, problem);
        var usage = JudgmentJson.ReadUsage(root, out var usageProblem) ?? throw DataFormatException.At(path, line, usageProblem);
        return new Judgment { Outcome = JudgmentOutcome.Judged, Scores = scores, Replies = JudgmentJson.ReadReplies(root), Usage = usage };
    }
}
