using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace AlignLab.Reports;

/// <summary>
/// Assembles the self-contained page: Assets/report.html with the stylesheet, the script and the data
/// inlined. The data is JSON inside a non-executed <c>&lt;script type="application/json"&gt;</c>, written
/// with an encoder that escapes <c>&lt; &gt; &amp; ' " + `</c>, U+2028/U+2029 and control characters
/// as <c>\uXXXX</c>, so no model or user text can close the element or form markup anywhere in the file.
/// A Content-Security-Policy allows only the page's own script and style (by hash) and no fetches at
/// all: even text that somehow became markup could neither run nor load anything.
/// </summary>
internal static class ReportPage
{
    public static readonly JavaScriptEncoder DataEncoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    private const string DataMarker = "{{DATA}}";

    private static readonly Lazy<string> Template = new(() => Asset("report.html"));
    private static readonly Lazy<string> Style = new(() => Asset("report.css"));
    private static readonly Lazy<string> Script = new(() => Asset("report.js"));

    public static ReportCounts Write(Stream stream, ReportSource source)
    {
        var template = Template.Value;
        var data = template.IndexOf(DataMarker, StringComparison.Ordinal);
        var head = template[..data]
            .Replace("{{CSP}}", ContentSecurityPolicy(), StringComparison.Ordinal)
            .Replace("{{CSS}}", Style.Value, StringComparison.Ordinal);
        var tail = template[(data + DataMarker.Length)..].Replace("{{SCRIPT}}", Script.Value, StringComparison.Ordinal);
        stream.Write(Encoding.UTF8.GetBytes(head));
        ReportCounts counts;
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = DataEncoder }))
        {
            counts = new ReportDataWriter(source).Write(json);
        }
        stream.Write(Encoding.UTF8.GetBytes(tail));
        return counts;
    }

    private static string ContentSecurityPolicy()
        => $"default-src 'none'; script-src '{Hash(Script.Value)}'; style-src '{Hash(Style.Value)}'; img-src data:; base-uri 'none'; form-action 'none'";

    private static string Hash(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));

    /// <summary>An embedded asset, with line breaks as the HTML parser will see them (LF) so the hashes match.</summary>
    private static string Asset(string name)
    {
        using var stream = typeof(ReportPage).Assembly.GetManifestResourceStream("AlignLab.Reports.Assets." + name)
            ?? throw new InvalidOperationException($"the report asset {name} is not embedded in {typeof(ReportPage).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
