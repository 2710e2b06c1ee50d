using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlignLab.Engine.Templates;

/// <summary>
/// Converts caller data into template values: JSON objects become dicts that keep key order, JSON
/// numbers stay ints or floats as written (1 vs 1.0), and .NET primitives and collections map to
/// their Python counterparts.
/// </summary>
public static class TemplateValues
{
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToDict(element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value)))),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element.GetRawText()),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => ToDict(obj.Select(p => new KeyValuePair<string, object?>(p.Key, FromJson(p.Value)))),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value when value.TryGetValue<JsonElement>(out var element) => FromJson(element),
        JsonValue value => From(value.GetValue<object>()),
        _ => null,
    };

    /// <summary>
    /// Any supported .NET value: null, bool, string, integers, floating point, JSON elements and
    /// nodes, dictionaries with string keys, and other enumerables (as lists, converted item by
    /// item). Values already in template form pass through.
    /// </summary>
    public static object? From(object? value) => value switch
    {
        null or bool or long or double or string => value,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (double)u,
        float f => (double)f,
        decimal m => (double)m,
        char c => c.ToString(),
        JsonElement element => FromJson(element),
        JsonNode node => FromJson(node),
        PyDict or PyTuple or SafeString or Undefined or Namespace or ITemplateCallable or PyIterator or LoopContext => value,
        IEnumerable<KeyValuePair<string, object?>> pairs => ToDict(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, From(p.Value)))),
        IDictionary dictionary => ToDict(Entries(dictionary)),
        IEnumerable items => items.Cast<object?>().Select(From).ToList(),
        _ => throw new ArgumentException($"{value.GetType().Name} cannot be passed to a chat template", nameof(value)),
    };

    /// <summary>The entries of any dictionary; enumerating a generic one as IEnumerable yields KeyValuePairs, not DictionaryEntry.</summary>
    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        var entry = dictionary.GetEnumerator();
        while (entry.MoveNext())
        {
            yield return new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", From(entry.Value));
        }
    }

    private static PyDict ToDict(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var dict = new PyDict();
        foreach (var (key, value) in pairs)
        {
            dict[key] = value;
        }
        return dict;
    }

    /// <summary>Python's json.loads: an integer literal is an int, anything with a fraction or exponent a float.</summary>
    private static object Number(string raw)
    {
        if (raw.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }
        // Integers beyond 64 bits become floats here (Python would keep them exact).
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
