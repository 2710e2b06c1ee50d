using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignLab.JustEval;

/// <summary>
/// The summary as JSON: <c>{"sets": [{"name", "files", "judged", "failed", "failures": [{"id", "reason"}],
/// "uncategorized", "untagged", "aspects": {ASPECT: mean}, "intervals": {ASPECT: [low, high]}, "counts": {ASPECT: n},
/// "average", "words", "by_task": {TASK: {"count", "aspects": {...}, "average"}}, "by_topic", "by_difficulty",
/// "by_dataset", "usage": {"requests", "prompt_tokens", "completion_tokens"}}]}</c>, numbers unrounded.
/// </summary>
public static class JudgeSummaryJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream stream, JudgeSummary summary, JsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(summary);
        using var json = new Utf8JsonWriter(stream, options ?? Options);
        json.WriteStartObject();
        json.WriteStartArray("sets");
        foreach (var set in summary.Sets)
        {
            WriteSet(json, set);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSet(Utf8JsonWriter json, SetSummary set)
    {
        json.WriteStartObject();
        json.WriteString("name", set.Name);
        json.WriteStartArray("files");
        foreach (var file in set.Files)
        {
            json.WriteStringValue(file);
        }
        json.WriteEndArray();
        json.WriteNumber("judged", set.Judged);
        json.WriteNumber("failed", set.Failed);
        json.WriteStartArray("failures");
        foreach (var failure in set.Failures)
        {
            json.WriteStartObject();
            json.WritePropertyName("id");
            failure.Id.WriteTo(json);
            json.WriteString("reason", failure.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("uncategorized", set.Uncategorized);
        json.WriteNumber("untagged", set.Untagged);
        json.WriteStartObject("aspects");
        foreach (var aspect in set.Aspects)
        {
            json.WriteNumber(aspect.Aspect, aspect.Mean);
        }
        json.WriteEndObject();
        json.WriteStartObject("intervals");
        foreach (var aspect in set.Aspects)
        {
            json.WriteStartArray(aspect.Aspect);
            json.WriteNumberValue(aspect.Low);
            json.WriteNumberValue(aspect.High);
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteStartObject("counts");
        foreach (var aspect in set.Aspects)
        {
            json.WriteNumber(aspect.Aspect, aspect.Count);
        }
        json.WriteEndObject();
        WriteNumberOrNull(json, "average", set.Average);
        WriteNumberOrNull(json, "words", set.Words);
        foreach (var breakdown in set.Breakdowns)
        {
            WriteBreakdown(json, breakdown);
        }
        JudgmentJson.WriteUsage(json, set.Usage);
        json.WriteEndObject();
    }

    private static void WriteBreakdown(Utf8JsonWriter json, Breakdown breakdown)
    {
        json.WriteStartObject("by_" + breakdown.Dimension);
        foreach (var group in breakdown.Groups)
        {
            json.WriteStartObject(group.Group);
            json.WriteNumber("count", group.Count);
            json.WriteStartObject("aspects");
            foreach (var (aspect, mean) in group.Aspects)
            {
                json.WriteNumber(aspect, mean);
            }
            json.WriteEndObject();
            json.WriteNumber("average", group.Average);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
