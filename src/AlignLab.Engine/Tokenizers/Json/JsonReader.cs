using System.Text.Json;
using AlignLab.Engine.Formats;

namespace AlignLab.Engine.Tokenizers.Json;

/// <summary>
/// Typed access to tokenizer.json fields that reports problems as <see cref="ModelFormatException"/>
/// naming the file and the JSON path of the field.
/// </summary>
internal sealed class JsonReader(string file)
{
    public string File { get; } = file;

    public ModelFormatException Error(string path, string problem) => ModelFormatException.In(File, path, problem);

    public JsonElement Required(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected an object, found {Describe(obj)}");
        }
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(Join(path, name), "missing");
        }
        return value;
    }

    public static JsonElement? Optional(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string String(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error(Join(path, name), $"expected a string, found {Describe(v)}");
    }

    public string? OptionalString(JsonElement obj, string name, string path)
    {
        var v = Optional(obj, name);
        if (v is null)
        {
            return null;
        }
        return v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : throw Error(Join(path, name), $"expected a string, found {Describe(v.Value)}");
    }

    public bool Bool(JsonElement obj, string name, string path, bool fallback)
    {
        var v = Optional(obj, name);
        return v?.ValueKind switch
        {
            null => fallback,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Join(path, name), $"expected true or false, found {Describe(v.Value)}"),
        };
    }

    public int Int(JsonElement obj, string name, string path, int? fallback = null)
    {
        var v = Optional(obj, name);
        if (v is null)
        {
            return fallback ?? throw Error(Join(path, name), "missing");
        }
        return v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt32(out var i) ? i : throw Error(Join(path, name), $"expected an integer, found {Describe(v.Value)}");
    }

    public JsonElement Array(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        return v.ValueKind == JsonValueKind.Array ? v : throw Error(Join(path, name), $"expected an array, found {Describe(v)}");
    }

    /// <summary>The "type" of a component, checked against the supported ones.</summary>
    public string Type(JsonElement obj, string path, params string[] supported)
    {
        var type = String(obj, "type", path);
        return System.Array.IndexOf(supported, type) >= 0
            ? type
            : throw Error(Join(path, "type"), $"unknown type \"{type}\" (supported: {string.Join(", ", supported)})");
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int i) => $"{path}[{i}]";

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"string \"{v.GetString()}\"",
        JsonValueKind.Number => $"number {v.GetRawText()}",
        _ => v.ValueKind.ToString().ToLowerInvariant(),
    };
}
