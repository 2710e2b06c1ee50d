using System.Text.Json;
using AlignLab.Engine.Tokenizers.PostProcessors;

namespace AlignLab.Engine.Tokenizers.Json;

internal static class PostProcessorJson
{
    private static readonly string[] Supported = ["TemplateProcessing", "ByteLevel", "Sequence"];

    public static IPostProcessor Read(JsonReader r, JsonElement obj, string path) => r.Type(obj, path, Supported) switch
    {
        "TemplateProcessing" => Template(r, obj, path),
        "ByteLevel" => new ByteLevelPostProcessor(),
        _ => new SequencePostProcessor(ReadList(r, obj, path)),
    };

    /// <summary>The "single" template: special-token ids before and after the one "$A" sequence.</summary>
    private static TemplateProcessor Template(JsonReader r, JsonElement obj, string path)
    {
        var specials = r.Required(obj, "special_tokens", path);
        var before = new List<int>();
        var after = new List<int>();
        var seenSequence = false;
        var singlePath = JsonReader.Join(path, "single");
        var i = 0;
        foreach (var item in r.Array(obj, "single", path).EnumerateArray())
        {
            var itemPath = JsonReader.Index(singlePath, i++);
            if (JsonReader.Optional(item, "Sequence") is not null)
            {
                seenSequence = true;
                continue;
            }
            var special = r.Required(item, "SpecialToken", itemPath);
            var name = r.String(special, "id", JsonReader.Join(itemPath, "SpecialToken"));
            var definition = JsonReader.Optional(specials, name)
                ?? throw r.Error(JsonReader.Join(path, "special_tokens"), $"\"{name}\" is used by the template but not defined");
            var idsPath = JsonReader.Join(JsonReader.Join(path, "special_tokens"), name);
            foreach (var id in r.Array(definition, "ids", idsPath).EnumerateArray())
            {
                (seenSequence ? after : before).Add(id.TryGetInt32(out var v) ? v : throw r.Error(JsonReader.Join(idsPath, "ids"), "expected integers"));
            }
        }
        if (!seenSequence)
        {
            throw r.Error(singlePath, "the template has no $A sequence");
        }
        return new TemplateProcessor(before, after);
    }

    private static List<IPostProcessor> ReadList(JsonReader r, JsonElement obj, string path)
    {
        var list = new List<IPostProcessor>();
        var p = JsonReader.Join(path, "processors");
        var i = 0;
        foreach (var item in r.Array(obj, "processors", path).EnumerateArray())
        {
            list.Add(Read(r, item, JsonReader.Index(p, i++)));
        }
        return list;
    }
}
