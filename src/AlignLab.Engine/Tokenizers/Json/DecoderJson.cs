using System.Text.Json;
using AlignLab.Engine.Tokenizers.Decoders;
using AlignLab.Engine.Tokenizers.PreTokenizers;

namespace AlignLab.Engine.Tokenizers.Json;

internal static class DecoderJson
{
    private static readonly string[] Supported = ["ByteLevel", "Metaspace", "ByteFallback", "Fuse", "Strip", "Replace", "Sequence"];

    public static ITokenDecoder Read(JsonReader r, JsonElement obj, string path) => r.Type(obj, path, Supported) switch
    {
        "ByteLevel" => new ByteLevelDecoder(),
        "Metaspace" => Metaspace(r, obj, path),
        "ByteFallback" => new ByteFallbackDecoder(),
        "Fuse" => new FuseDecoder(),
        "Strip" => Strip(r, obj, path),
        "Replace" => Replace(r, obj, path),
        _ => new SequenceDecoder(ReadList(r, obj, path)),
    };

    private static MetaspaceDecoder Metaspace(JsonReader r, JsonElement obj, string path)
    {
        var pre = PreTokenizerJson.Metaspace(r, obj, path);
        return new MetaspaceDecoder(pre.Replacement, pre.PrependScheme != PrependScheme.Never);
    }

    private static StripDecoder Strip(JsonReader r, JsonElement obj, string path)
    {
        var content = r.String(obj, "content", path);
        if (content.Length != 1)
        {
            throw r.Error(JsonReader.Join(path, "content"), $"expected one character, found \"{content}\"");
        }
        return new StripDecoder(content[0], r.Int(obj, "start", path, 0), r.Int(obj, "stop", path, 0));
    }

    private static ReplaceDecoder Replace(JsonReader r, JsonElement obj, string path)
    {
        var (literal, regex) = PatternJson.Read(r, obj, path);
        return new ReplaceDecoder(literal, regex, r.String(obj, "content", path));
    }

    private static List<ITokenDecoder> ReadList(JsonReader r, JsonElement obj, string path)
    {
        var list = new List<ITokenDecoder>();
        var p = JsonReader.Join(path, "decoders");
        var i = 0;
        foreach (var item in r.Array(obj, "decoders", path).EnumerateArray())
        {
            list.Add(Read(r, item, JsonReader.Index(p, i++)));
        }
        return list;
    }
}
