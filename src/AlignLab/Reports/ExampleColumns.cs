using System.Globalization;
using System.Text.Json;

namespace AlignLab.Reports;

/// <summary>
/// What the example list needs of each example (id, category, instruction, tags, class counts, mean KL),
/// kept column by column — one JSON array per field instead of one object per example — to keep the page small.
/// </summary>
internal sealed class ExampleColumns
{
    private readonly List<string> _ids = [];
    private readonly List<int> _categories = [];
    private readonly List<int> _instructions = [];
    private readonly List<int[]> _tags = [];
    private readonly List<int> _counts = [];
    private readonly List<double?> _meanKl = [];

    /// <param name="category">Index into the category table, or -1 for none.</param>
    public void Add(string id, int category, int instruction, int[] tags, IReadOnlyList<TokenRecord> tokens)
    {
        _ids.Add(id);
        _categories.Add(category);
        _instructions.Add(instruction);
        _tags.Add(tags);
        int unshifted = 0, marginal = 0, shifted = 0;
        double klSum = 0;
        var klCount = 0;
        foreach (var token in tokens)
        {
            switch (token.Class)
            {
                case TokenClass.Unshifted: unshifted++; break;
                case TokenClass.Marginal: marginal++; break;
                default: shifted++; break;
            }
            if (token.Kl is { } kl)
            {
                klSum += kl;
                klCount++;
            }
        }
        _counts.AddRange([unshifted, marginal, shifted]);
        _meanKl.Add(klCount > 0 ? klSum / klCount : null);
    }

    /// <summary>Writes the columns as properties of the open JSON object.</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartArray("id");
        _ids.ForEach(json.WriteStringValue);
        json.WriteEndArray();
        WriteIntegers(json, "category", _categories);
        WriteIntegers(json, "instruction", _instructions);
        json.WriteStartArray("tags");
        foreach (var tags in _tags)
        {
            WriteIntegers(json, null, tags);
        }
        json.WriteEndArray();
        // unshifted, marginal, shifted of example 0, then of example 1, …
        WriteIntegers(json, "counts", _counts);
        json.WriteStartArray("mean_kl");
        foreach (var kl in _meanKl)
        {
            if (kl is { } value)
            {
                // Shown to three significant digits; six keep the page small without visible rounding.
                json.WriteNumberValue(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNullValue();
            }
        }
        json.WriteEndArray();
    }

    private static void WriteIntegers(Utf8JsonWriter json, string? name, IEnumerable<int> values)
    {
        if (name is null)
        {
            json.WriteStartArray();
        }
        else
        {
            json.WriteStartArray(name);
        }
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }
}
