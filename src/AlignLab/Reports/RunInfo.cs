using System.Globalization;
using System.Text.Json;

namespace AlignLab.Reports;

/// <summary>A model named in run.json.</summary>
internal sealed record ModelInfo(string? Name, string? Reference, string? Path, string? Sha256)
{
    public static ModelInfo Parse(JsonElement model) => new(
        JsonFields.OptionalString(model, "name"),
        JsonFields.OptionalString(model, "reference"),
        JsonFields.OptionalString(model, "path"),
        JsonFields.OptionalString(model, "sha256"));
}

/// <summary>
/// What run.json says about a TDS run: the models, when and with what it ran. Every field is optional
/// for the report (a folder of results without run.json still gets one); present fields must be well formed.
/// </summary>
internal sealed record RunInfo(
    string? Tool,
    string? Version,
    string? Created,
    string? Seed,
    ModelInfo? Base,
    IReadOnlyList<ModelInfo> Aligned,
    IReadOnlyList<KeyValuePair<string, string>> Options,
    IReadOnlyList<KeyValuePair<string, string>> Timings)
{
    public const string FileName = "run.json";

    public static readonly RunInfo Empty = new(null, null, null, null, null, [], [], []);

    public static RunInfo Read(string path, long maxBytes)
    {
        using var document = JsonDocuments.Load(path, maxBytes);
        try
        {
            return Parse(JsonFields.Object(document.RootElement, "(document)"));
        }
        catch (JsonFieldException e)
        {
            throw e.At(path);
        }
    }

    private static RunInfo Parse(JsonElement run)
    {
        var aligned = new List<ModelInfo>();
        if (!JsonFields.IsMissing(run, "aligned"))
        {
            var i = 0;
            foreach (var model in JsonFields.Array(JsonFields.Get(run, "aligned"), "aligned").EnumerateArray())
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"aligned[{i++}]");
                try
                {
                    aligned.Add(ModelInfo.Parse(JsonFields.Object(model, "")));
                }
                catch (JsonFieldException e)
                {
                    throw e.Within(field);
                }
            }
        }
        ModelInfo? baseModel = null;
        if (!JsonFields.IsMissing(run, "base"))
        {
            try
            {
                baseModel = ModelInfo.Parse(JsonFields.Object(JsonFields.Get(run, "base"), ""));
            }
            catch (JsonFieldException e)
            {
                throw e.Within("base");
            }
        }
        return new RunInfo(
            JsonFields.OptionalString(run, "tool"),
            JsonFields.OptionalString(run, "version"),
            JsonFields.OptionalString(run, "created"),
            JsonFields.IsMissing(run, "seed") ? null : JsonFields.Get(run, "seed")!.Value.GetRawText(),
            baseModel,
            aligned,
            Settings(run, "options"),
            Settings(run, "timings"));
    }

    /// <summary>An object's fields as text: strings as they are, anything else in its JSON spelling.</summary>
    private static List<KeyValuePair<string, string>> Settings(JsonElement run, string name)
    {
        if (JsonFields.IsMissing(run, name))
        {
            return [];
        }
        return [.. JsonFields.Object(JsonFields.Get(run, name), name).EnumerateObject().Select(p => KeyValuePair.Create(p.Name,
            p.Value.ValueKind == JsonValueKind.String ? JsonFields.AsString(p.Value, name + "." + p.Name) : p.Value.GetRawText()))];
    }
}
