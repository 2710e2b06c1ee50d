using System.Text;
using System.Text.Json;
using AlignLab.Engine.Tokenizers.Normalizers;

namespace AlignLab.Engine.Tokenizers.Json;

internal static class NormalizerJson
{
    private static readonly string[] Supported = ["NFC", "NFD", "NFKC", "NFKD", "Lowercase", "Prepend", "Replace", "Strip", "Sequence"];

    public static INormalizer Read(JsonReader r, JsonElement obj, string path) => r.Type(obj, path, Supported) switch
    {
        "NFC" => new UnicodeFormNormalizer(NormalizationForm.FormC),
        "NFD" => new UnicodeFormNormalizer(NormalizationForm.FormD),
        "NFKC" => new UnicodeFormNormalizer(NormalizationForm.FormKC),
        "NFKD" => new UnicodeFormNormalizer(NormalizationForm.FormKD),
        "Lowercase" => new LowercaseNormalizer(),
        "Prepend" => new PrependNormalizer(r.String(obj, "prepend", path)),
        "Replace" => Replace(r, obj, path),
        "Strip" => new StripNormalizer(r.Bool(obj, "strip_left", path, true), r.Bool(obj, "strip_right", path, true)),
        _ => new SequenceNormalizer(ReadList(r, obj, path)),
    };

    private static ReplaceNormalizer Replace(JsonReader r, JsonElement obj, string path)
    {
        var (literal, regex) = PatternJson.Read(r, obj, path);
        var content = r.String(obj, "content", path);
        return literal is not null ? ReplaceNormalizer.ForString(literal, content) : ReplaceNormalizer.ForRegex(regex!, content);
    }

    private static List<INormalizer> ReadList(JsonReader r, JsonElement obj, string path)
    {
        var list = new List<INormalizer>();
        var p = JsonReader.Join(path, "normalizers");
        var i = 0;
        foreach (var item in r.Array(obj, "normalizers", path).EnumerateArray())
        {
            list.Add(Read(r, item, JsonReader.Index(p, i++)));
        }
        return list;
    }
}
