using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlignLab.JustEval;

/// <summary>
/// Reads the scores out of a judge's reply, however it wrapped them: bare JSON, JSON in a ``` fence, or JSON inside
/// chatter ("Here is my evaluation: {...} I hope this helps"). Every JSON object the text holds is a candidate (the
/// whole text, each fenced block, each balanced {...}); one that does not parse is tried again with the usual slips
/// repaired (a stray backslash, a raw line break inside a string). The candidate with the most valid aspect scores
/// wins. An aspect is found by name in any letter case, at the top or nested in an object such as "scores"; its value
/// is <c>{"reason", "score"}</c> ("rationale" and "explanation" also name the reason, "rating" the score) or the score
/// alone. Scores are read by <see cref="AspectScore.TryParseScore(JsonElement, out double?, out string)"/>.
/// </summary>
public static partial class JudgeReplyParser
{
    /// <summary>Most '{' positions tried as the start of an object: bounds the work on a long, brace-heavy reply.</summary>
    private const int MaxObjectStarts = 64;

    /// <summary>How deep below the top an aspect may be nested ({"evaluation": {"scores": {"depth": 4}}} is depth 2).</summary>
    private const int MaxNesting = 2;

    private static readonly string[] ScoreNames = ["score", "rating"];
    private static readonly string[] ReasonNames = ["reason", "rationale", "explanation", "justification"];

    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 32,
    };

    public static ParsedReply Parse(string reply, IReadOnlyList<string> aspects)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(aspects);
        ParsedReply? best = null;
        foreach (var root in JsonObjects(reply))
        {
            var parsed = Read(root, aspects);
            if (best is null || parsed.Scores.Count > best.Scores.Count)
            {
                best = parsed;
            }
            if (best.IsComplete)
            {
                break;
            }
        }
        return best ?? new ParsedReply(
            new Dictionary<string, AspectScore>(),
            [.. aspects.Select(a => new AspectProblem(a, reply.Trim().Length == 0 ? "the reply is empty" : "the reply holds no JSON object"))]);
    }

    private static ParsedReply Read(JsonElement root, IReadOnlyList<string> aspects)
    {
        var scores = new Dictionary<string, AspectScore>(StringComparer.Ordinal);
        var problems = new List<AspectProblem>();
        foreach (var aspect in aspects)
        {
            if (Find(root, aspect, 0) is not { } value)
            {
                problems.Add(new AspectProblem(aspect, "not in the reply's JSON"));
            }
            else if (ReadAspect(value, out var score, out var problem))
            {
                scores[aspect] = score!;
            }
            else
            {
                problems.Add(new AspectProblem(aspect, problem));
            }
        }
        return new ParsedReply(scores, problems);
    }

    private static bool ReadAspect(JsonElement value, out AspectScore? score, out string problem)
    {
        score = null;
        var reason = "";
        var scoreValue = value;
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (Property(value, ScoreNames) is not { } named)
            {
                problem = "no score";
                return false;
            }
            scoreValue = named;
            reason = Property(value, ReasonNames) is { ValueKind: JsonValueKind.String } text ? text.GetString()! : "";
        }
        if (!AspectScore.TryParseScore(scoreValue, out var number, out problem))
        {
            return false;
        }
        score = new AspectScore(number, reason);
        return true;
    }

    /// <summary>The value named <paramref name="aspect"/> (any case) in <paramref name="element"/> or an object nested in it, breadth first.</summary>
    private static JsonElement? Find(JsonElement element, string aspect, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (Property(element, [aspect]) is { } direct)
        {
            return direct;
        }
        if (depth >= MaxNesting)
        {
            return null;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (Find(property.Value, aspect, depth + 1) is { } nested)
            {
                return nested;
            }
        }
        return null;
    }

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

    /// <summary>
    /// Every JSON object <paramref name="reply"/> holds, most likely first: the whole text, each fenced block, each
    /// balanced {...}; one that does not parse is tried again with the usual slips repaired. For any judge reply that
    /// should be a JSON object.
    /// </summary>
    public static IEnumerable<JsonElement> JsonObjects(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        foreach (var candidate in Candidates(reply))
        {
            if (TryParseObject(candidate) is { } root)
            {
                yield return root;
            }
        }
    }

    /// <summary>The texts that may be the reply's JSON object, most likely first.</summary>
    private static IEnumerable<string> Candidates(string reply)
    {
        yield return reply.Trim();
        foreach (Match fence in Fence().Matches(reply))
        {
            yield return fence.Groups["body"].Value.Trim();
        }
        var starts = 0;
        for (var i = reply.IndexOf('{', StringComparison.Ordinal); i >= 0 && starts < MaxObjectStarts; i = reply.IndexOf('{', i + 1))
        {
            starts++;
            if (BalancedObjectEnd(reply, i) is int end)
            {
                yield return reply[i..(end + 1)];
            }
        }
    }

    /// <summary>Where the object starting at <paramref name="start"/> closes, skipping braces inside strings; null when it never does.</summary>
    private static int? BalancedObjectEnd(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when --depth == 0:
                    return i;
            }
        }
        return null;
    }

    private static JsonElement? TryParseObject(string text)
    {
        if (text.Length == 0 || text[0] != '{')
        {
            return null;
        }
        return TryParse(text) ?? TryParse(Repair(text));
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Lenient);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Inside strings: a backslash that starts no JSON escape is doubled, and raw control characters are escaped.</summary>
    private static string Repair(string text)
    {
        var repaired = new StringBuilder(text.Length + 16);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!inString)
            {
                inString = c == '"';
                repaired.Append(c);
                continue;
            }
            if (c == '\\')
            {
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                if ("\"\\/bfnrtu".Contains(next, StringComparison.Ordinal))
                {
                    repaired.Append(c).Append(next);
                    i++;
                }
                else
                {
                    repaired.Append(@"\\");
                }
                continue;
            }
            if (c == '"')
            {
                inString = false;
            }
            repaired.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return repaired.ToString();
    }

    [GeneratedRegex(@"```[A-Za-z]*[ \t]*\r?\n?(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Fence();
}
