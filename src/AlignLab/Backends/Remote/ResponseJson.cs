using System.Globalization;
using System.Text.Json;

namespace AlignLab.Backends.Remote;

/// <summary>
/// Checked reading of a server's JSON answer (untrusted): each accessor takes the value's path and throws a
/// <see cref="RemoteModelException"/> naming the URL, the path and what was expected when the answer does not fit.
/// </summary>
internal readonly struct ResponseJson(JsonElement value, string path, string source)
{
    public JsonElement Value => value;

    public string Path => path;

    public bool IsNull => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>A field of this object; absent reads as null (<see cref="IsNull"/>).</summary>
    public ResponseJson this[string name]
    {
        get
        {
            RequireKind(JsonValueKind.Object, "an object");
            return new ResponseJson(value.TryGetProperty(name, out var field) ? field : default, Join(name), source);
        }
    }

    public ResponseJson this[int index] => new(value[index], string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"), source);

    public int Length
    {
        get
        {
            RequireKind(JsonValueKind.Array, "a list");
            return value.GetArrayLength();
        }
    }

    public IEnumerable<ResponseJson> Items()
    {
        var length = Length;
        for (var i = 0; i < length; i++)
        {
            yield return this[i];
        }
    }

    /// <summary>An object's fields, each with its path.</summary>
    public IEnumerable<(string Name, ResponseJson Value)> Fields()
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var field in value.EnumerateObject())
        {
            yield return (field.Name, new ResponseJson(field.Value, Join(field.Name), source));
        }
    }

    public string String()
    {
        RequireKind(JsonValueKind.String, "a string");
        return value.GetString()!;
    }

    public string? StringOrNull() => IsNull ? null : String();

    public int Int()
        => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Invalid("an integer");

    /// <summary>A log-probability: a number ≤ 0 (a little above 0 is rounding), or −∞ written as a large negative number.</summary>
    public float LogProb()
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsNaN(number) || number > 1e-3)
        {
            throw Invalid("a log-probability (a number ≤ 0)");
        }
        return (float)Math.Min(number, 0);
    }

    public RemoteModelException Invalid(string expected)
        => new($"{source}: {path} is {Describe()}, expected {expected}");

    private void RequireKind(JsonValueKind kind, string expected)
    {
        if (value.ValueKind != kind)
        {
            throw Invalid(expected);
        }
    }

    private string Describe() => value.ValueKind switch
    {
        JsonValueKind.Undefined => "missing",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };

    private string Join(string name) => path.Length == 0 ? name : path + "." + name;
}
