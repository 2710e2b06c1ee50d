using System.Text.Json;

namespace AlignLab.Tests.Support;

/// <summary>One answer position as the page data says, decoded here from the format documented on PositionCodec.</summary>
internal sealed record PagePosition(
    string Text,
    int Id,
    int Class,
    int Rank,
    double? AlignedProb,
    double? BaseProb,
    double? Kl,
    double? KlReverse,
    List<(int Id, double? Prob)> AlignedTop,
    List<(int Id, double? Prob)> BaseTop);

/// <summary>A written report: its HTML, and the JSON data embedded in it, parsed.</summary>
internal sealed class ReportFile : IDisposable
{
    private const string DataOpen = "<script type=\"application/json\" id=\"tds-data\">";

    private readonly JsonDocument _document;

    private ReportFile(string html)
    {
        Html = html;
        var start = html.IndexOf(DataOpen, StringComparison.Ordinal) + DataOpen.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        DataJson = html[start..end];
        _document = JsonDocument.Parse(DataJson);
    }

    public string Html { get; }

    public string DataJson { get; }

    public JsonElement Data => _document.RootElement;

    public static ReportFile Read(string path) => new(File.ReadAllText(path));

    public JsonElement Model(int model) => Data.GetProperty("models")[model];

    public JsonElement Examples(int model) => Model(model).GetProperty("examples");

    public IReadOnlyList<string> ModelNames => [.. Data.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];

    public string Instruction(int model, int example)
        => Data.GetProperty("instructions")[Examples(model).GetProperty("instruction")[example].GetInt32()].GetString()!;

    public int PositionCount(int model, int example)
        => Examples(model).GetProperty("positions")[example].GetString()!.Length / Encoding.GetProperty("width").GetInt32();

    public string? VocabText(int id)
    {
        var vocab = Data.GetProperty("vocab");
        var ids = vocab.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var at = ids.IndexOf(id);
        return at < 0 ? null : Data.GetProperty("texts")[vocab.GetProperty("texts")[at].GetInt32()].GetString();
    }

    private JsonElement Encoding => Data.GetProperty("encoding");

    public PagePosition Position(int model, int example, int position)
    {
        var s = Examples(model).GetProperty("positions")[example].GetString()!;
        var e = Encoding;
        var alphabet = e.GetProperty("alphabet").GetString()!;
        var at = position * e.GetProperty("width").GetInt32();
        int Field(int offset) => (alphabet.IndexOf(s[at + offset], StringComparison.Ordinal) << 12)
            | (alphabet.IndexOf(s[at + offset + 1], StringComparison.Ordinal) << 6)
            | alphabet.IndexOf(s[at + offset + 2], StringComparison.Ordinal);
        double? Prob(int code) => code == e.GetProperty("absent").GetInt32() ? null
            : code == e.GetProperty("below").GetInt32() ? 0
            : Math.Exp(-code * e.GetProperty("logprob_range").GetDouble() / e.GetProperty("logprob_steps").GetInt32());
        double? Kl(int code)
        {
            if (code == e.GetProperty("kl_null").GetInt32())
            {
                return null;
            }
            var (min, max) = (e.GetProperty("kl_min_log10").GetDouble(), e.GetProperty("kl_max_log10").GetDouble());
            return code == 0 ? 0 : Math.Pow(10, ((code - 1.0) / e.GetProperty("kl_steps").GetInt32() * (max - min)) + min);
        }
        List<(int, double?)> Top(int offset)
        {
            var list = new List<(int, double?)>();
            for (var k = 0; k < e.GetProperty("top").GetInt32(); k++)
            {
                var prob = Prob(Field(offset + (6 * k) + 3));
                if (prob is not null)
                {
                    list.Add((Field(offset + (6 * k)), prob));
                }
            }
            return list;
        }
        var top = e.GetProperty("top").GetInt32();
        return new PagePosition(
            Data.GetProperty("texts")[Field(0)].GetString()!, Field(3), alphabet.IndexOf(s[at + 6], StringComparison.Ordinal), Field(7),
            Prob(Field(10)), Prob(Field(13)), Kl(Field(16)), Kl(Field(19)), Top(22), Top(22 + (6 * top)));
    }

    public void Dispose() => _document.Dispose();
}
