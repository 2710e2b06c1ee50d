using System.Globalization;
using System.Text.Json;

namespace AlignLab.Reports;

/// <summary>
/// Typed access to the fields of a JSON object, failing with a <see cref="JsonFieldException"/> that
/// says what was expected and what was found. Unknown fields are ignored, as the schema asks.
/// </summary>
internal static class JsonFields
{
    /// <summary>The field's value, or null when it is absent (a JSON null is returned as such).</summary>
    public static JsonElement? Get(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : null;

    /// <summary>True when the field is absent or JSON null.</summary>
    public static bool IsMissing(JsonElement obj, string name)
        => Get(obj, name) is not { } value || value.ValueKind == JsonValueKind.Null;

    public static JsonElement Object(JsonElement? value, string field)
        => value is { ValueKind: JsonValueKind.Object } v ? v : throw Expected(field, "an object", value);

    public static JsonElement Array(JsonElement? value, string field)
        => value is { ValueKind: JsonValueKind.Array } v ? v : throw Expected(field, "an array", value);

    public static string String(JsonElement obj, string name) => AsString(Get(obj, name), name);

    /// <summary>The string, or null when the field is absent or JSON null.</summary>
    public static string? OptionalString(JsonElement obj, string name)
        => IsMissing(obj, name) ? null : AsString(Get(obj, name), name);

    public static string AsString(JsonElement? value, string field)
    {
        if (value is not { ValueKind: JsonValueKind.String } v)
        {
            throw Expected(field, "a string", value);
        }
        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonFieldException(field, "expected a string of valid Unicode, got one with an unpaired surrogate escape");
        }
    }

    /// <summary>A string or a number, as text (a number keeps its JSON spelling): ids are kept as given.</summary>
    public static string StringOrNumber(JsonElement obj, string name) => Get(obj, name) switch
    {
        { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
        { ValueKind: JsonValueKind.String } text => AsString(text, name),
        var other => throw Expected(name, "a string or a number", other),
    };

    public static long Integer(JsonElement obj, string name, long min, long max = long.MaxValue)
        => AsInteger(Get(obj, name), name, min, max);

    public static long AsInteger(JsonElement? value, string field, long min, long max = long.MaxValue)
    {
        if (value is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) && n >= min && n <= max)
        {
            return n;
        }
        var range = max == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"an integer ≥ {min}")
            : string.Create(CultureInfo.InvariantCulture, $"an integer in {min}..{max}");
        throw Expected(field, range, value);
    }

    public static double Number(JsonElement obj, string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
        => AsNumber(Get(obj, name), name, min, max);

    /// <summary>The number, or null when the field is absent or JSON null.</summary>
    public static double? OptionalNumber(JsonElement obj, string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
        => IsMissing(obj, name) ? null : AsNumber(Get(obj, name), name, min, max);

    public static double AsNumber(JsonElement? value, string field, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (value is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var x) && double.IsFinite(x) && x >= min && x <= max)
        {
            return x;
        }
        var range = (double.IsNegativeInfinity(min), double.IsPositiveInfinity(max)) switch
        {
            (true, true) => "a number",
            (false, true) => string.Create(CultureInfo.InvariantCulture, $"a number ≥ {min}"),
            (true, false) => string.Create(CultureInfo.InvariantCulture, $"a number ≤ {max}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"a number in {min}..{max}"),
        };
        throw Expected(field, range, value);
    }

    public static JsonFieldException Expected(string field, string expected, JsonElement? actual)
        => new(field, $"expected {expected}, got {Describe(actual)}");

    /// <summary>A short description of a value for error messages; quoted text is truncated.</summary>
    public static string Describe(JsonElement? value) => value switch
    {
        null => "nothing (the field is missing)",
        { ValueKind: JsonValueKind.Null } => "null",
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        { ValueKind: JsonValueKind.Object } => "an object",
        { ValueKind: JsonValueKind.Array } => "an array",
        { ValueKind: JsonValueKind.Number } v => "the number " + Truncate(v.GetRawText()),
        { ValueKind: JsonValueKind.String } v => "the string " + Truncate(v.GetRawText()),
        _ => "an unexpected value",
    };

    private static string Truncate(string raw) => raw.Length <= 40 ? raw : raw[..40] + "…";
}
