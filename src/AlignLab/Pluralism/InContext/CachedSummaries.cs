using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Runs;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// Summaries of answers, each written once: a cache file (<see cref="JsonlCache"/>) holds one line
/// <c>{"key", "answer_sha256", "summarizer", "prompt_sha256", "summary"}</c> per summary, keyed by the answer's hash
/// (query and answer), the summarizer's name and its prompt's hash. The file may be shared by runs: the same answer
/// summarized the same way is never asked for twice, and a resumed run asks only for what it lacks.
/// </summary>
public sealed class CachedSummaries(IAnswerSummarizer summarizer, JsonlCache cache)
{
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IAnswerSummarizer _summarizer = summarizer ?? throw new ArgumentNullException(nameof(summarizer));
    private readonly JsonlCache _cache = cache ?? throw new ArgumentNullException(nameof(cache));

    public IAnswerSummarizer Summarizer => _summarizer;

    /// <summary>Summaries asked of the summarizer (not found in the cache) since this was made.</summary>
    public int Computed { get; private set; }

    public string SummaryOf(string query, string answer, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(answer);
        var answerHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query + "\0" + answer)));
        var key = answerHash + " " + _summarizer.Name + " " + _summarizer.PromptSha256;
        if (_cache.TryGet(key, out var entry))
        {
            return entry.TryGetProperty("summary", out var cached) && cached.ValueKind == JsonValueKind.String
                ? cached.GetString()!
                : throw new FormatException($"{_cache.Path}: the entry {key} has no \"summary\" string");
        }
        var summary = _summarizer.Summarize(query, answer, cancel);
        Computed++;
        _cache.Add(Line(key, answerHash, summary));
        return summary;
    }

    private byte[] Line(string key, string answerHash, string summary)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriteOptions))
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteString("answer_sha256", answerHash);
            json.WriteString("summarizer", _summarizer.Name);
            json.WriteString("prompt_sha256", _summarizer.PromptSha256);
            json.WriteString("summary", summary);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
