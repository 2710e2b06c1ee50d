using System.Text.Json;
using AlignLab.Engine.Tokenizers.PreTokenizers;

namespace AlignLab.Engine.Tokenizers.Json;

internal static class PreTokenizerJson
{
    private static readonly string[] Supported = ["ByteLevel", "Split", "Metaspace", "Digits", "Sequence"];

    public static IPreTokenizer Read(JsonReader r, JsonElement obj, string path) => r.Type(obj, path, Supported) switch
    {
        "ByteLevel" => new ByteLevelPreTokenizer(r.Bool(obj, "add_prefix_space", path, true), r.Bool(obj, "use_regex", path, true)),
        "Split" => Split(r, obj, path),
        "Metaspace" => Metaspace(r, obj, path),
        "Digits" => new DigitsPreTokenizer(r.Bool(obj, "individual_digits", path, false)),
        _ => new SequencePreTokenizer(ReadList(r, obj, path)),
    };

    private static SplitPreTokenizer Split(JsonReader r, JsonElement obj, string path)
    {
        var pattern = PatternJson.AsRegex(PatternJson.Read(r, obj, path));
        var behavior = r.String(obj, "behavior", path) switch
        {
            "Removed" => SplitBehavior.Removed,
            "Isolated" => SplitBehavior.Isolated,
            "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
            "MergedWithNext" => SplitBehavior.MergedWithNext,
            "Contiguous" => SplitBehavior.Contiguous,
            var other => throw r.Error(JsonReader.Join(path, "behavior"), $"unknown behavior \"{other}\" (supported: Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)"),
        };
        return new SplitPreTokenizer(pattern, behavior, r.Bool(obj, "invert", path, false));
    }

    public static MetaspacePreTokenizer Metaspace(JsonReader r, JsonElement obj, string path)
    {
        var replacement = r.String(obj, "replacement", path);
        if (replacement.Length != 1)
        {
            throw r.Error(JsonReader.Join(path, "replacement"), $"expected one character, found \"{replacement}\"");
        }
        // Files written before prepend_scheme existed only have add_prefix_space.
        var scheme = r.OptionalString(obj, "prepend_scheme", path) switch
        {
            null => r.Bool(obj, "add_prefix_space", path, true) ? PrependScheme.Always : PrependScheme.Never,
            "first" => PrependScheme.First,
            "always" => PrependScheme.Always,
            "never" => PrependScheme.Never,
            var other => throw r.Error(JsonReader.Join(path, "prepend_scheme"), $"unknown scheme \"{other}\" (supported: first, always, never)"),
        };
        return new MetaspacePreTokenizer(replacement[0], scheme, r.Bool(obj, "split", path, true));
    }

    private static List<IPreTokenizer> ReadList(JsonReader r, JsonElement obj, string path)
    {
        var list = new List<IPreTokenizer>();
        var p = JsonReader.Join(path, "pretokenizers");
        var i = 0;
        foreach (var item in r.Array(obj, "pretokenizers", path).EnumerateArray())
        {
            list.Add(Read(r, item, JsonReader.Index(p, i++)));
        }
        return list;
    }
}
