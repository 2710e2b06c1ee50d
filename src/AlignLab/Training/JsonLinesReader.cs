using System.Text.Json;

namespace AlignLab.Training;

/// <summary>
/// Reads a JSON Lines file one object per line (blank lines skipped), handing each to a parser with its
/// line number; any malformed line stops the read with a one-line <see cref="TrainingDataException"/>.
/// </summary>
internal static class JsonLinesReader
{
    public static List<T> Read<T>(string path, Func<JsonElement, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        var items = new List<T>();
        var number = 0L;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw TrainingDataException.At(path, number, "expected a JSON object");
                }
                items.Add(parse(doc.RootElement));
            }
            catch (JsonException e)
            {
                var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');
                throw TrainingDataException.At(path, number, $"not valid JSON at byte {e.BytePositionInLine ?? 0}: {reason}");
            }
            catch (FieldException e)
            {
                throw TrainingDataException.At(path, number, e.Message);
            }
        }
        if (items.Count == 0)
        {
            throw TrainingDataException.At(path, 0, "holds no records");
        }
        return items;
    }

    /// <summary>The string field <paramref name="name"/>, which must be present and not empty.</summary>
    public static string RequiredString(JsonElement record, string name)
        => record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FieldException($"field \"{name}\" must be a non-empty string");

    /// <summary>A record field that is missing or of the wrong type.</summary>
    internal sealed class FieldException(string message) : Exception(message);
}
