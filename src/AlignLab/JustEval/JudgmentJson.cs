using System.Text.Json;

namespace AlignLab.JustEval;

/// <summary>
/// The JSON of judgments, shared by the cache, our output and the summary's reader: <c>"parsed_result": {ASPECT:
/// {"reason", "score"}, ...}</c> as Just-Eval publishes it (scores there are strings such as "4" or "N/A"; ours are
/// numbers or "N/A"), <c>"replies"</c> (the judge's raw texts) and <c>"usage": {"requests", "prompt_tokens",
/// "completion_tokens"}</c>.
/// </summary>
public static class JudgmentJson
{
    public static void WriteParsedResult(Utf8JsonWriter json, IReadOnlyDictionary<string, AspectScore> scores)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(scores);
        json.WriteStartObject("parsed_result");
        foreach (var aspect in Aspects.InReportOrder(scores.Keys))
        {
            json.WriteStartObject(aspect);
            json.WriteString("reason", scores[aspect].Reason);
            json.WritePropertyName("score");
            scores[aspect].WriteScore(json);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    public static void WriteReplies(Utf8JsonWriter json, IReadOnlyList<string> replies)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(replies);
        json.WriteStartArray("replies");
        foreach (var reply in replies)
        {
            json.WriteStringValue(reply);
        }
        json.WriteEndArray();
    }

    public static void WriteUsage(Utf8JsonWriter json, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject("usage");
        json.WriteNumber("requests", usage.Requests);
        json.WriteNumber("prompt_tokens", usage.PromptTokens);
        json.WriteNumber("completion_tokens", usage.CompletionTokens);
        json.WriteEndObject();
    }

    /// <summary>
    /// The scores of a <c>parsed_result</c> object: every field an aspect with a <c>{"reason"?, "score"}</c> object.
    /// Null, with <paramref name="problem"/> naming the field and what was expected, when it is not so.
    /// </summary>
    public static Dictionary<string, AspectScore>? ReadParsedResult(JsonElement parsed, out string problem)
    {
        if (parsed.ValueKind != JsonValueKind.Object)
        {
            problem = "\"parsed_result\" is not an object of aspects";
            return null;
        }
        var scores = new Dictionary<string, AspectScore>(StringComparer.Ordinal);
        foreach (var aspect in parsed.EnumerateObject())
        {
            if (aspect.Value.ValueKind != JsonValueKind.Object || !aspect.Value.TryGetProperty("score", out var score))
            {
                problem = $"\"parsed_result.{aspect.Name}\" is not a {{\"reason\", \"score\"}} object";
                return null;
            }
            if (!AspectScore.TryParseScore(score, out var value, out var scoreProblem))
            {
                problem = $"\"parsed_result.{aspect.Name}\": {scoreProblem}";
                return null;
            }
            var reason = aspect.Value.TryGetProperty("reason", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
            scores[aspect.Name] = new AspectScore(value, reason);
        }
        problem = "";
        return scores;
    }

    /// <summary>A <c>usage</c> object's counts; zeros for a missing one, null with <paramref name="problem"/> for a malformed one.</summary>
    public static TokenUsage? ReadUsage(JsonElement record, out string problem)
    {
        problem = "";
        if (!record.TryGetProperty("usage", out var usage) || usage.ValueKind == JsonValueKind.Null)
        {
            return default(TokenUsage);
        }
        if (usage.ValueKind == JsonValueKind.Object
            && Count(usage, "requests") is long requests and <= int.MaxValue
            && Count(usage, "prompt_tokens") is long prompt
            && Count(usage, "completion_tokens") is long completion)
        {
            return new TokenUsage((int)requests, prompt, completion);
        }
        problem = "\"usage\" is not {\"requests\", \"prompt_tokens\", \"completion_tokens\"} with counts ≥ 0";
        return null;
    }

    private static long? Count(JsonElement usage, string name)
        => usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0 ? count : null;

    /// <summary>The strings of a <c>replies</c> array; empty when there is none.</summary>
    public static IReadOnlyList<string> ReadReplies(JsonElement record)
        => record.TryGetProperty("replies", out var replies) && replies.ValueKind == JsonValueKind.Array
            ? [.. replies.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
            : [];
}
