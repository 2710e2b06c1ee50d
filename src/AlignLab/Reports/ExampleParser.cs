using System.Globalization;
using System.Text.Json;

namespace AlignLab.Reports;

/// <summary>
/// Reads one positions.jsonl record per docs/TDS-SCHEMA.md into an <see cref="ExampleRecord"/>, keeping each
/// model's few most likely candidates per position (as many as the caller asks for). Every departure from
/// the schema is a <see cref="JsonFieldException"/> naming the field ("tokens[3].aligned_top[1]").
/// </summary>
internal static class ExampleParser
{
    /// <summary>Log-probabilities and KL values a little past their bounds are float noise, not errors.</summary>
    private const double Tolerance = 1e-4;

    /// <param name="klTopKOnly">Take each position's KL from kl_topk (a run over served models, which has no exact KL).</param>
    public static ExampleRecord Parse(JsonElement root, int topCandidates, bool klTopKOnly = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.Expected("(record)", "an object", root);
        }
        var id = JsonFields.StringOrNumber(root, "id");
        var instruction = JsonFields.String(root, "instruction");
        var category = JsonFields.OptionalString(root, "category");
        var tags = JsonFields.IsMissing(root, "tags") ? [] : ParseTags(JsonFields.Object(JsonFields.Get(root, "tags"), "tags"));
        var tokens = JsonFields.Array(JsonFields.Get(root, "tokens"), "tokens");
        var records = new TokenRecord[tokens.GetArrayLength()];
        var i = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            try
            {
                records[i] = ParseToken(token, topCandidates, klTopKOnly);
            }
            catch (JsonFieldException e)
            {
                throw e.Within(Indexed("tokens", i));
            }
            i++;
        }
        return new ExampleRecord(id, instruction, category, tags, records);
    }

    private static List<Tag> ParseTags(JsonElement tags)
    {
        var list = new List<Tag>();
        foreach (var property in tags.EnumerateObject())
        {
            var field = "tags." + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    list.Add(new Tag(property.Name, JsonFields.AsString(property.Value, field)));
                    break;
                case JsonValueKind.Array:
                    var j = 0;
                    foreach (var value in property.Value.EnumerateArray())
                    {
                        list.Add(new Tag(property.Name, JsonFields.AsString(value, Indexed(field, j++))));
                    }
                    break;
                default:
                    throw JsonFields.Expected(field, "a string or an array of strings", property.Value);
            }
        }
        return list;
    }

    private static TokenRecord ParseToken(JsonElement token, int topCandidates, bool klTopKOnly)
    {
        if (token.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.Expected("", "an object", token);
        }
        return new TokenRecord(
            Id: (int)JsonFields.Integer(token, "id", 0, PositionCodec.MaxTokenId),
            Text: JsonFields.String(token, "text"),
            Class: ParseClass(token),
            BaseRank: JsonFields.Integer(token, "base_rank", 1),
            BaseLogProb: LogProb(token, "base_logprob"),
            AlignedLogProb: LogProb(token, "aligned_logprob"),
            Kl: NonNegative(JsonFields.OptionalNumber(token, klTopKOnly ? KlTopKField(token) : "kl", min: -Tolerance)),
            KlReverse: NonNegative(JsonFields.OptionalNumber(token, "kl_reverse", min: -Tolerance)),
            AlignedTop: ParseTop(token, "aligned_top", topCandidates),
            BaseTop: ParseTop(token, "base_top", topCandidates));
    }

    /// <summary>kl_topk, or topk_kl in runs written before it had that name.</summary>
    private static string KlTopKField(JsonElement token) => JsonFields.IsMissing(token, "kl_topk") && !JsonFields.IsMissing(token, "topk_kl") ? "topk_kl" : "kl_topk";

    private static TokenClass ParseClass(JsonElement token) => JsonFields.String(token, "class") switch
    {
        "unshifted" => TokenClass.Unshifted,
        "marginal" => TokenClass.Marginal,
        "shifted" => TokenClass.Shifted,
        _ => throw JsonFields.Expected("class", "\"unshifted\", \"marginal\" or \"shifted\"", JsonFields.Get(token, "class")),
    };

    /// <summary>A log-probability; null stands for −∞ (a probability of zero, which JSON cannot spell).</summary>
    private static double LogProb(JsonElement token, string name)
    {
        if (JsonFields.Get(token, name) is { ValueKind: JsonValueKind.Null })
        {
            return double.NegativeInfinity;
        }
        return Math.Min(0, JsonFields.Number(token, name, max: Tolerance));
    }

    private static double? NonNegative(double? value) => value is { } v ? Math.Max(0, v) : null;

    /// <summary>The list's <paramref name="keep"/> most probable [id, prob] pairs, most probable first.</summary>
    private static Candidate[] ParseTop(JsonElement token, string name, int keep)
    {
        var list = JsonFields.Array(JsonFields.Get(token, name), name);
        var all = new Candidate[list.GetArrayLength()];
        var i = 0;
        foreach (var pair in list.EnumerateArray())
        {
            all[i] = ParsePair(pair, name, i);
            i++;
        }
        // Stable, so equal probabilities keep the file's order.
        return [.. all.OrderByDescending(c => c.Prob).Take(keep)];
    }

    private static Candidate ParsePair(JsonElement pair, string name, int index)
    {
        if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
            && pair[0].ValueKind == JsonValueKind.Number && pair[0].TryGetInt64(out var id) && id >= 0 && id <= PositionCodec.MaxTokenId
            && pair[1].ValueKind == JsonValueKind.Number && pair[1].TryGetDouble(out var prob) && prob >= 0 && prob <= 1 + Tolerance)
        {
            return new Candidate((int)id, Math.Min(1, prob));
        }
        // The slow path, only for bad input: the typed readers say exactly what is wrong, and where.
        var field = Indexed(name, index);
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
        {
            throw JsonFields.Expected(field, "an [id, prob] pair", pair);
        }
        JsonFields.AsInteger(pair[0], field + "[0]", 0, PositionCodec.MaxTokenId);
        JsonFields.AsNumber(pair[1], field + "[1]", 0, 1 + Tolerance);
        throw JsonFields.Expected(field, "an [id, prob] pair", pair);
    }

    private static string Indexed(string field, int index) => string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]");
}
