using System.Text.Json;
using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tokenizers.Json;

/// <summary>{"String": "..."} or {"Regex": "..."}: the pattern of Split, Replace.</summary>
internal static class PatternJson
{
    /// <summary>The literal (for String patterns) or the compiled regex (for Regex patterns).</summary>
    public static (string? Literal, CategoryRegex? Regex) Read(JsonReader r, JsonElement obj, string path)
    {
        var pattern = r.Required(obj, "pattern", path);
        var p = JsonReader.Join(path, "pattern");
        if (JsonReader.Optional(pattern, "String") is { ValueKind: JsonValueKind.String } s)
        {
            return (s.GetString()!, null);
        }
        if (JsonReader.Optional(pattern, "Regex") is { ValueKind: JsonValueKind.String } re)
        {
            var source = re.GetString()!;
            try
            {
                return (null, CategoryRegex.FromOniguruma(source));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw r.Error(JsonReader.Join(p, "Regex"), $"cannot translate regex \"{source}\": {e.Message}");
            }
        }
        throw r.Error(p, "expected {\"String\": ...} or {\"Regex\": ...}");
    }

    /// <summary>A regex that matches the literal or the regex, for splitting.</summary>
    public static CategoryRegex AsRegex((string? Literal, CategoryRegex? Regex) pattern)
        => pattern.Regex ?? CategoryRegex.FromDotNet(CategoryRegex.Literal(pattern.Literal!));
}
