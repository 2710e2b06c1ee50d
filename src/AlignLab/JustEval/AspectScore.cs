using System.Globalization;
using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>
/// One aspect's judgment: a score from 1 to 5, or "N/A" (the judge found the aspect does not apply), and the judge's
/// reason. Aggregates count N/A as 5, as Just-Eval publishes them (<see cref="Value"/>).
/// </summary>
public sealed record AspectScore(double? Score, string Reason)
{
    public const string NotApplicable = "N/A";

    public const double Lowest = 1;

    public const double Highest = 5;

    /// <summary>The score as aggregates count it: N/A is 5.</summary>
    public double Value => Score ?? Highest;

    public bool IsNotApplicable => Score is null;

    /// <summary>
    /// Reads a score as judges write it: a number, or a string holding one ("4", " 4.5 ", "4/5", "4 out of 5"), or
    /// N/A (any case, "NA", "not applicable"). Null with <paramref name="problem"/> set when it is none of these or
    /// lies outside 1 to 5.
    /// </summary>
    public static bool TryParseScore(JsonElement value, out double? score, out string problem)
    {
        score = null;
        problem = "";
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return InRange(value.GetDouble(), value.GetRawText(), out score, out problem);
            case JsonValueKind.String:
                return TryParseScore(value.GetString()!, out score, out problem);
            default:
                problem = "the score is " + (value.ValueKind == JsonValueKind.Undefined ? "missing" : JsonRecordFile.Kind(value.ValueKind)) + ", expected a number from 1 to 5 or \"N/A\"";
                return false;
        }
    }

    /// <inheritdoc cref="TryParseScore(JsonElement, out double?, out string)"/>
    public static bool TryParseScore(string text, out double? score, out string problem)
    {
        score = null;
        var trimmed = text.Trim();
        if (IsNotApplicableText(trimmed))
        {
            problem = "";
            return true;
        }
        var number = StripScale(trimmed);
        if (double.TryParse(number, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out var parsed))
        {
            return InRange(parsed, JsonSerializer.Serialize(text), out score, out problem);
        }
        problem = "the score " + JsonSerializer.Serialize(text) + " is not a number from 1 to 5 or \"N/A\"";
        return false;
    }

    /// <summary>Writes the score as our files keep it: the number, or the string "N/A".</summary>
    public void WriteScore(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Score is double s)
        {
            json.WriteNumberValue(s);
        }
        else
        {
            json.WriteStringValue(NotApplicable);
        }
    }

    private static bool IsNotApplicableText(string text)
        => text.Equals("N/A", StringComparison.OrdinalIgnoreCase) || text.Equals("NA", StringComparison.OrdinalIgnoreCase)
           || text.Equals("not applicable", StringComparison.OrdinalIgnoreCase);

    /// <summary>"4/5" and "4 out of 5" are 4.</summary>
    private static string StripScale(string text)
    {
        foreach (var suffix in new[] { "/5", "out of 5" })
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return text[..^suffix.Length];
            }
        }
        return text;
    }

    private static bool InRange(double value, string shown, out double? score, out string problem)
    {
        if (double.IsFinite(value) && value >= Lowest && value <= Highest)
        {
            score = value;
            problem = "";
            return true;
        }
        score = null;
        problem = "the score " + shown + " is not within 1 to 5";
        return false;
    }
}
