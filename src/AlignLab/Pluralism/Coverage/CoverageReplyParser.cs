using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.JustEval;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// Reads a coverage judge's reply, however wrapped (bare, fenced or chatty JSON: <see cref="JudgeReplyParser.JsonObjects"/>),
/// into the normalised result the cache and the measures keep:
/// <list type="bullet">
/// <item><c>missing</c>: <c>{"score": 1..5, "reason"}</c>, read as a Just-Eval aspect named "missing" (a number, or a string holding one); "N/A" is refused.</item>
/// <item><c>topics</c>: <c>{"topics": [{"topic", "side": "reference" | "alternative" | "both"}]}</c>, from entries whose "in" (or "side", "where") is A, B or both in any case.</item>
/// <item><c>stance</c>: <c>{"stance": "yes" | "no" | "both" | "other", "reason"}</c>, the stance in any case.</item>
/// </list>
/// A reply that gives none of this yields the problem, for the retry and the recorded failure.
/// </summary>
public static class CoverageReplyParser
{
    public const string Reference = "reference";
    public const string Alternative = "alternative";
    public const string Both = "both";

    public static readonly IReadOnlyList<string> Stances = ["yes", "no", "both", "other"];

    private static readonly string[] SideNames = ["in", "side", "where", "answer"];
    private static readonly string[] TopicNames = ["topic", "name"];

    public static JsonObject? Parse(CoverageTask task, string reply, out string problem)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (task == CoverageTask.Missing)
        {
            return Missing(reply, out problem);
        }
        // The first (most likely) object's problem is the one reported: objects nested in it are tried too, and would only say they lack the field.
        string? first = null;
        foreach (var root in JudgeReplyParser.JsonObjects(reply))
        {
            var result = task == CoverageTask.Topics ? Topics(root, out var objectProblem) : Stance(root, out objectProblem);
            if (result is not null)
            {
                problem = "";
                return result;
            }
            first ??= objectProblem;
        }
        problem = first ?? (reply.Trim().Length == 0 ? "the reply is empty" : "the reply holds no JSON object");
        return null;
    }

    /// <summary>Whether <paramref name="result"/> is a result <see cref="Parse"/> gives for <paramref name="task"/> (a cached one, read back).</summary>
    public static bool IsNormalized(CoverageTask task, JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        return task switch
        {
            CoverageTask.Missing => result.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number && score.TryGetInt32(out var value) && value is >= 1 and <= 5,
            CoverageTask.Topics => result.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Array
                && topics.EnumerateArray().All(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("topic", out var name) && name.ValueKind == JsonValueKind.String
                    && t.TryGetProperty("side", out var side) && side.ValueKind == JsonValueKind.String && side.GetString() is Reference or Alternative or Both),
            CoverageTask.Stance => result.TryGetProperty("stance", out var stance) && stance.ValueKind == JsonValueKind.String && Stances.Contains(stance.GetString()!),
            _ => false,
        };
    }

    private static JsonObject? Missing(string reply, out string problem)
    {
        const string aspect = "missing";
        var parsed = JudgeReplyParser.Parse(reply, [aspect]);
        if (!parsed.IsComplete)
        {
            problem = parsed.DescribeProblems();
            return null;
        }
        var score = parsed.Scores[aspect];
        if (score.Score is not { } value || value != Math.Round(value))
        {
            problem = "missing: the score must be a whole number from 1 to 5, not " + (score.Score?.ToString(CultureInfo.InvariantCulture) ?? "N/A");
            return null;
        }
        problem = "";
        return new JsonObject { ["score"] = (int)value, ["reason"] = score.Reason };
    }

    private static JsonObject? Topics(JsonElement root, out string problem)
    {
        if (Property(root, ["topics"]) is not { ValueKind: JsonValueKind.Array } topics)
        {
            problem = "no \"topics\" list";
            return null;
        }
        var list = new JsonArray();
        var index = 0;
        foreach (var entry in topics.EnumerateArray())
        {
            var topic = entry.ValueKind == JsonValueKind.Object ? Property(entry, TopicNames) : null;
            var side = entry.ValueKind == JsonValueKind.Object && Property(entry, SideNames) is { ValueKind: JsonValueKind.String } text ? SideOf(text.GetString()!) : null;
            if (topic is not { ValueKind: JsonValueKind.String } || side is null)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"topic {index} is not {{\"topic\": string, \"in\": \"A\", \"B\" or \"both\"}}");
                return null;
            }
            list.Add(new JsonObject { ["topic"] = topic.Value.GetString(), ["side"] = side });
            index++;
        }
        problem = "";
        return new JsonObject { ["topics"] = list };
    }

    private static JsonObject? Stance(JsonElement root, out string problem)
    {
        if (Property(root, ["stance"]) is not { ValueKind: JsonValueKind.String } value)
        {
            problem = "no \"stance\" string";
            return null;
        }
        var stance = value.GetString()!.Trim().TrimEnd('.').ToLowerInvariant();
        if (!Stances.Contains(stance))
        {
            problem = $"the stance \"{value.GetString()}\" is not yes, no, both or other";
            return null;
        }
        problem = "";
        var reason = Property(root, ["reason"]) is { ValueKind: JsonValueKind.String } text ? text.GetString() : "";
        return new JsonObject { ["stance"] = stance, ["reason"] = reason };
    }

    /// <summary>A: the reference; B: the alternative; both. Judges also write "Answer A" or "A and B".</summary>
    private static string? SideOf(string text) => text.Trim().ToLowerInvariant() switch
    {
        "a" or "answer a" => Reference,
        "b" or "answer b" => Alternative,
        "both" or "a and b" or "a, b" or "ab" => Both,
        _ => null,
    };

    private static JsonElement? Property(JsonElement element, string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (names.Any(n => property.Name.Trim().Equals(n, StringComparison.OrdinalIgnoreCase)))
            {
                return property.Value;
            }
        }
        return null;
    }
}
