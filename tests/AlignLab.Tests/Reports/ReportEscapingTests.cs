using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Reports;

/// <summary>Markup in model and user text: the strings issue 4 names, in every field that reaches the page.</summary>
public sealed partial class ReportEscapingTests
{
    public const string Script = "<script>window.__pwned = 1</script>";
    public const string Image = "\"><img src=x onerror=\"window.__pwned = 2\">";
    public const string TextArea = "</textarea><b id=\"injected\">x</b>";
    public const string Separators = "line\u2028separator\u2029paragraph";

    public static readonly string[] Injections = [Script, Image, TextArea, Separators];

    /// <summary>A run whose instruction, answer tokens, category, id, tags, run options and model names all carry the injections.</summary>
    internal static void WriteHostileRun(string directory, params (string Name, IReadOnlyList<FakeExample> Examples)[] moreModels)
    {
        var all = string.Concat(Injections);
        FakeToken Token(int id, string text, string cls) => new(id, text, cls, cls == "shifted" ? 9 : 1, -3, -0.2, 0.5, 0.4, [(id, 0.8), (id + 1, 0.1)], [(id + 2, 0.6), (id, 0.05)]);
        var tokens = new List<FakeToken> { Token(1, "Sure: ", "unshifted") };
        tokens.AddRange(Injections.Select((text, i) => Token(10 + (i * 3), text, "shifted")));
        tokens.Add(Token(40, "\n", "unshifted"));
        tokens.Add(Token(41, "done", "marginal"));
        var examples = new List<FakeExample>
        {
            new(Image, "Please repeat " + all, Script, tokens, [("topics", TextArea), ("difficulty", Image)]),
            new(2, "A plain question", "regular", [Token(50, "Fine", "unshifted")]),
        };
        FakeRun.WriteRunJson(directory, Script, ["aligned", .. moreModels.Select(m => m.Name)], [("system", all), (Image, TextArea)]);
        FakeRun.WriteModel(Path.Combine(directory, "aligned"), examples);
        foreach (var (name, more) in moreModels)
        {
            FakeRun.WriteModel(Path.Combine(directory, name), more);
        }
    }

    [Fact]
    public void Markup_in_any_text_never_appears_raw_in_the_report()
    {
        using var scratch = new ScratchDirectory();
        WriteHostileRun(scratch.Path);
        var input = File.ReadAllText(scratch.File("aligned/positions.jsonl"));
        Assert.Contains("<script>", input, StringComparison.Ordinal); // the inputs really are hostile

        var html = File.ReadAllText(TdsReport.Write(scratch.Path).Path);

        foreach (var raw in Injections.Concat(["<script>window", "<img", "</textarea", "<b id", "\u2028", "\u2029"]))
        {
            Assert.DoesNotContain(raw, html, StringComparison.OrdinalIgnoreCase);
        }
        // The page's own two script elements are the only ones.
        Assert.Equal(2, ScriptOpen().Count(html));
        Assert.Equal(2, ScriptClose().Count(html));
        Assert.Contains("\\u003Cscript\\u003E", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Escaped_text_reads_back_exactly()
    {
        using var scratch = new ScratchDirectory();
        WriteHostileRun(scratch.Path);
        using var report = ReportFile.Read(TdsReport.Write(scratch.Path).Path);

        Assert.Equal("Please repeat " + string.Concat(Injections), report.Instruction(0, 0));
        Assert.Equal(Image, report.Examples(0).GetProperty("id")[0].GetString());
        Assert.Equal(Script, report.Data.GetProperty("categories")[0].GetString());
        Assert.Equal(Script, report.Data.GetProperty("run").GetProperty("base").GetProperty("reference").GetString());
        for (var i = 0; i < Injections.Length; i++)
        {
            Assert.Equal(Injections[i], report.Position(0, 0, 1 + i).Text);
        }
    }

    [Fact]
    public void The_content_security_policy_allows_exactly_the_inline_script_and_style()
    {
        using var scratch = new ScratchDirectory();
        WriteHostileRun(scratch.Path);
        var html = File.ReadAllText(TdsReport.Write(scratch.Path).Path);

        var policy = Policy().Match(html).Groups[1].Value;
        var script = html[(html.LastIndexOf("<script>", StringComparison.Ordinal) + "<script>".Length)..html.LastIndexOf("</script>", StringComparison.Ordinal)];
        var style = html[(html.IndexOf("<style>", StringComparison.Ordinal) + "<style>".Length)..html.IndexOf("</style>", StringComparison.Ordinal)];
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains($"script-src '{Sha256(script)}'", policy, StringComparison.Ordinal);
        Assert.Contains($"style-src '{Sha256(style)}'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        // Nothing in the page refers to anything outside it.
        Assert.DoesNotMatch("(src|href)=\"(?!data:)", html);
        var code = script.Replace("'http://www.w3.org/2000/svg'", "", StringComparison.Ordinal);
        Assert.DoesNotContain("http:", code, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", code, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
    }

    private static string Sha256(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOpen();

    [GeneratedRegex("</script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptClose();

    [GeneratedRegex("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")]
    private static partial Regex Policy();
}
