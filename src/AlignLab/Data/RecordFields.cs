using System.Text.Json;

namespace AlignLab.Data;

/// <summary>A record's field has the wrong type or value; the reader turns it into a file:line error.</summary>
internal sealed class RecordFieldException(string message) : Exception(message)
{
}

/// <summary>Typed access to a JSON record's fields, failing with a message that names the field and what was expected.</summary>
internal static class RecordFields
{
    /// <summary>A string field; null when absent or null.</summary>
    public static string? OptionalString(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? Text(value, name)
            : throw new RecordFieldException($"field \"{name}\" is {JsonRecordFile.Kind(value.ValueKind)}, expected a string");
    }

    public static string RequiredString(JsonElement record, string name)
        => OptionalString(record, name) ?? throw new RecordFieldException($"field \"{name}\" is missing, expected a string");

    /// <summary>An array of strings; empty when absent or null.</summary>
    public static IReadOnlyList<string> StringList(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new RecordFieldException($"field \"{name}\" is {JsonRecordFile.Kind(value.ValueKind)}, expected an array of strings");
        }
        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String
                ? Text(item, name)
                : throw new RecordFieldException($"field \"{name}\" holds {JsonRecordFile.Kind(item.ValueKind)}, expected strings only"));
        }
        return list;
    }

    /// <summary>The id: a string or a number; null when absent.</summary>
    public static RecordId? Id(JsonElement record, string name = "id")
    {
        if (!record.TryGetProperty(name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            return RecordId.FromString(Text(value, name));
        }
        return RecordId.FromJson(value) ?? throw new RecordFieldException($"field \"{name}\" is {JsonRecordFile.Kind(value.ValueKind)}, expected a string or a number");
    }

    /// <summary>The string's value; escaped text that is not valid UTF-16 (a lone surrogate) is refused.</summary>
    private static string Text(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new RecordFieldException($"field \"{name}\" holds invalid text (an unpaired surrogate escape)");
        }
    }
}
