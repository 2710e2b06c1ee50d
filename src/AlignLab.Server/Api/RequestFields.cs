using System.Globalization;
using System.Text.Json;

namespace AlignLab.Server.Api;

/// <summary>
/// Typed reading of one JSON object of a request. Absent and null fields read as null (OpenAI's
/// optional fields accept null); a field of the wrong type or out of range is a 400 naming the field's
/// path. Fields nobody reads are ignored, as OpenAI's and vLLM's servers ignore unknown fields.
/// </summary>
internal sealed class RequestFields
{
    private readonly JsonElement _object;
    private readonly string _path;

    public RequestFields(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadRequest($"{Describe(path, "the request body")} must be a JSON object, not {KindOf(value)}", NullIfEmpty(path), "invalid_type");
        }
        _object = value;
        _path = path;
    }

    /// <summary>Parses a request body; invalid JSON is a 400 saying where.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"the request body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"), null, "invalid_json");
        }
    }

    /// <summary>The path of a field of this object, for messages.</summary>
    public string PathOf(string name) => _path.Length == 0 ? name : _path + "." + name;

    /// <summary>The field's value when present and not null.</summary>
    public JsonElement? Get(string name)
        => _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public bool Has(string name) => Get(name) is not null;

    public string? String(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(name, value, "a string");
    }

    public bool? Bool(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, value, "true or false"),
        };
    }

    public int? Int(string name, int min, int max)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw WrongType(name, value, "an integer");
        }
        if (number < min || number > max)
        {
            throw OutOfRange(name, number.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"within {min} to {max}"));
        }
        return (int)number;
    }

    public long? Long(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw WrongType(name, value, "a 64-bit integer");
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] (or (min, max] when <paramref name="minExclusive"/>).</summary>
    public double? Number(string name, double min, double max, bool minExclusive = false)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw WrongType(name, value, "a number");
        }
        if (number < min || number > max || (minExclusive && number == min))
        {
            var range = string.Create(CultureInfo.InvariantCulture, $"{(minExclusive ? "greater than" : "at least")} {min} and at most {max}");
            throw OutOfRange(name, number.ToString("R", CultureInfo.InvariantCulture), range);
        }
        return number;
    }

    /// <summary>A string or a list of strings (as "stop" is), each non-empty; at most <paramref name="maxCount"/>.</summary>
    public IReadOnlyList<string> Strings(string name, int maxCount)
    {
        if (Get(name) is not { } value)
        {
            return [];
        }
        List<string> list;
        if (value.ValueKind == JsonValueKind.String)
        {
            list = [value.GetString()!];
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            list = [];
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType($"{name}[{i}]", item, "a string"));
                i++;
            }
        }
        else
        {
            throw WrongType(name, value, "a string or a list of strings");
        }
        if (list.Count > maxCount)
        {
            throw OutOfRange(name, list.Count.ToString(CultureInfo.InvariantCulture) + " entries", string.Create(CultureInfo.InvariantCulture, $"at most {maxCount} entries"));
        }
        if (list.FindIndex(string.IsNullOrEmpty) is var empty and >= 0)
        {
            throw ApiException.BadRequest($"{PathOf(name)}[{empty}] is empty", PathOf(name), "invalid_value");
        }
        return list;
    }

    /// <summary>A list of integers within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int[]? Ints(string name, int min, int max)
        => Get(name) is { } value ? ReadInts(value, PathOf(name), min, max) : null;

    /// <summary>An object field, read with its own path.</summary>
    public RequestFields? Object(string name) => Get(name) is { } value ? new RequestFields(value, PathOf(name)) : null;

    /// <summary>A list field: each element with its path.</summary>
    public IReadOnlyList<(JsonElement Value, string Path)>? Array(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, value, "a list");
        }
        var path = PathOf(name);
        return [.. value.EnumerateArray().Select((item, i) => (item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")))];
    }

    /// <summary>A JSON array of integers as ids; a 400 naming the element otherwise.</summary>
    public static int[] ReadInts(JsonElement value, string path, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.BadRequest($"{path} must be a list of integers, not {KindOf(value)}", path, "invalid_type");
        }
        var ids = new int[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id))
            {
                throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}] must be an integer, not {KindOf(item)}"), path, "invalid_type");
            }
            if (id < min || id > max)
            {
                throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}] is {id}, not within {min} to {max}"), path, "invalid_value");
            }
            ids[i++] = (int)id;
        }
        return ids;
    }

    public static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private ApiException WrongType(string name, JsonElement value, string expected)
        => ApiException.BadRequest($"{PathOf(name)} must be {expected}, not {KindOf(value)}", PathOf(name), "invalid_type");

    private ApiException OutOfRange(string name, string value, string range)
        => ApiException.BadRequest($"{PathOf(name)} is {value}, it must be {range}", PathOf(name), "invalid_value");

    private static string Describe(string path, string whole) => path.Length == 0 ? whole : path;

    private static string? NullIfEmpty(string path) => path.Length == 0 ? null : path;
}
