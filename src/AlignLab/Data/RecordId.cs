using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlignLab.Data;

/// <summary>
/// A record's id as the data file gave it: a string, or a number kept as its exact JSON text (so 7 stays
/// 7 and 7.0 stays 7.0 when written back). Two ids are equal when both kind and text are.
/// </summary>
public sealed record RecordId
{
    private RecordId(string text, bool isNumber)
    {
        Text = text;
        IsNumber = isNumber;
    }

    /// <summary>The string's value, or the number's JSON text.</summary>
    public string Text { get; }

    public bool IsNumber { get; }

    /// <summary>A string that tells ids apart by kind and text (7 and "7" differ): for sets of finished ids.</summary>
    public string Key => (IsNumber ? "n:" : "s:") + Text;

    public static RecordId FromString(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), isNumber: false);

    public static RecordId FromNumber(long value) => new(value.ToString(CultureInfo.InvariantCulture), isNumber: true);

    /// <summary>The id in <paramref name="element"/> (a JSON string or number), or null for any other kind of value.</summary>
    public static RecordId? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new RecordId(element.GetString()!, isNumber: false),
        JsonValueKind.Number => new RecordId(element.GetRawText(), isNumber: true),
        _ => null,
    };

    /// <summary>Writes the id back as it was given: a JSON number or a JSON string.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (IsNumber)
        {
            json.WriteRawValue(Text, skipInputValidation: false);
        }
        else
        {
            json.WriteStringValue(Text);
        }
    }

    /// <summary>The id as a JSON node, as it was given: a number or a string.</summary>
    public JsonNode? ToJsonNode() => IsNumber ? JsonNode.Parse(Text) : JsonValue.Create(Text);

    /// <summary>How error messages show the id: a number bare, a string quoted.</summary>
    public override string ToString() => IsNumber ? Text : JsonSerializer.Serialize(Text);
}
