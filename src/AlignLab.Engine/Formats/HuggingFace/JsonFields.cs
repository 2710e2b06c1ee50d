using System.Text.Json;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>
/// Typed access to the fields of one JSON object: an absent field or <c>null</c> reads as "not set",
/// a field of the wrong type throws naming the file and the field's dotted path.
/// </summary>
internal readonly struct JsonFields
{
    private readonly JsonElement _object;

    public JsonFields(JsonElement element, string file, string path = "")
    {
        File = file;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ModelFormatException.In(file, path.Length == 0 ? "JSON" : path, $"expected an object, found {Describe(element)}");
        }
        _object = element;
    }

    public string File { get; }

    /// <summary>The dotted path of this object inside the file; empty for the root.</summary>
    public string Path { get; }

    public string FieldPath(string field) => Path.Length == 0 ? field : Path + "." + field;

    /// <summary>The object's property names in file order.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>();
            try
            {
                foreach (var property in _object.EnumerateObject())
                {
                    names.Add(property.Name);
                }
            }
            catch (InvalidOperationException)
            {
                throw ModelFormatException.In(File, Path.Length == 0 ? "JSON" : Path, "has a key with an invalid \\u escape");
            }
            return names;
        }
    }

    public bool Has(string field) => Find(field) is not null;

    /// <summary>The raw value, or null when absent or JSON null.</summary>
    public JsonElement? Find(string field)
        => _object.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public int? Int(string field)
    {
        if (Find(field) is not { } v)
        {
            return null;
        }
        return AsInt(v, FieldPath(field));
    }

    public double? Double(string field)
    {
        if (Find(field) is not { } v)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d))
        {
            throw Wrong(FieldPath(field), "a number", v);
        }
        return d;
    }

    public bool? Bool(string field)
    {
        if (Find(field) is not { } v)
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(FieldPath(field), "true or false", v),
        };
    }

    public string? String(string field)
    {
        if (Find(field) is not { } v)
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.String ? Text(v, FieldPath(field)) : throw Wrong(FieldPath(field), "a string", v);
    }

    /// <summary>An integer or a list of integers (as <c>eos_token_id</c> may be); null when absent.</summary>
    public IReadOnlyList<int>? IntOrIntList(string field)
    {
        if (Find(field) is not { } v)
        {
            return null;
        }
        var path = FieldPath(field);
        if (v.ValueKind == JsonValueKind.Array)
        {
            var list = new List<int>();
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                list.Add(AsInt(item, $"{path}[{i++}]"));
            }
            return list;
        }
        return v.ValueKind == JsonValueKind.Number ? [AsInt(v, path)] : throw Wrong(path, "an integer or a list of integers", v);
    }

    public IReadOnlyList<string>? StringList(string field)
    {
        if (Find(field) is not { } v)
        {
            return null;
        }
        var path = FieldPath(field);
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(path, "a list of strings", v);
        }
        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? Text(item, $"{path}[{i}]") : throw Wrong($"{path}[{i}]", "a string", item));
            i++;
        }
        return list;
    }

    /// <summary>A nested object, or null when absent.</summary>
    public JsonFields? Object(string field)
        => Find(field) is { } v ? new JsonFields(v, File, FieldPath(field)) : null;

    private ModelFormatException Wrong(string path, string expected, JsonElement found)
        => ModelFormatException.In(File, path, $"expected {expected}, found {Describe(found)}");

    /// <summary>A string value; an escape that decodes to an unpaired surrogate is a format error, not a crash.</summary>
    private string Text(JsonElement v, string path)
    {
        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ModelFormatException.In(File, path, "has an invalid \\u escape");
        }
    }

    private int AsInt(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number)
        {
            throw Wrong(path, "an integer", v);
        }
        return v.TryGetInt32(out var i) ? i : throw Wrong(path, "an integer in the 32-bit range", v);
    }

    /// <summary>A short description of a value for error messages; long text is cut so the message stays one readable line.</summary>
    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "the string " + Shorten(v.GetRawText()),
        JsonValueKind.Number => Shorten(v.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
