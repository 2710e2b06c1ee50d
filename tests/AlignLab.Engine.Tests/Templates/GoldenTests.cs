using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Templates;

/// <summary>
/// Every real chat template in ../shared, rendered over tools/chat-template-goldens/cases.json,
/// must match what Python Jinja2 produced (tools/chat-template-goldens/render.py) byte for byte,
/// errors included.
/// </summary>
public class GoldenTests
{
    private static readonly string GoldenFolder = Path.Combine(SharedFixtures.RepoRoot, "tests", "AlignLab.Engine.Tests", "Templates", "Goldens");
    private static readonly string CasesPath = Path.Combine(SharedFixtures.RepoRoot, "tools", "chat-template-goldens", "cases.json");

    public static TheoryData<string> Goldens()
        => [.. Directory.GetFiles(GoldenFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void At_least_thirty_goldens_are_committed() => Assert.True(Goldens().Count >= 30);

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Template_renders_exactly_like_Jinja2(string golden)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(GoldenFolder, golden + ".json")));
        var root = expected.RootElement;
        var templateFile = root.GetProperty("template").GetString()!;
        var templatePath = SharedFixtures.Require(Path.Combine("fixtures", "chat-templates", templateFile));
        var template = ChatTemplate.Parse(File.ReadAllText(templatePath), templateFile);
        var options = new TemplateOptions
        {
            Now = DateTimeOffset.Parse(root.GetProperty("now").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        };
        using var cases = JsonDocument.Parse(File.ReadAllBytes(CasesPath));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        var caseList = cases.RootElement.EnumerateArray().ToList();
        Assert.Equal(caseList.Count, results.Count);

        var mismatches = new List<string>();
        for (var i = 0; i < caseList.Count; i++)
        {
            var actual = RenderCase(template, caseList[i], options);
            var wanted = results[i].ValueKind == JsonValueKind.String
                ? results[i].GetString()!
                : "error: " + results[i].GetProperty("error").GetString();
            if (actual != wanted)
            {
                mismatches.Add($"case {i}:\n--- expected\n{wanted}\n--- actual\n{actual}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n\n", mismatches));
    }

    private static string RenderCase(ChatTemplate template, JsonElement testCase, TemplateOptions options)
    {
        var variables = testCase.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        try
        {
            return template.Render(variables, options);
        }
        catch (TemplateException e)
        {
            return "error: " + e.Message;
        }
    }
}
