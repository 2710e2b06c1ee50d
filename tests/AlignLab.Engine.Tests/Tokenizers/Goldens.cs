using System.Text.Json;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Tokenizers;

/// <summary>Reads the committed golden files (produced by tools/tokenizer-goldens from the reference implementations).</summary>
internal static class Goldens
{
    public sealed record Case(string Text, int[] Ids, string? Decoded, bool RoundTrip);

    public static string Path(string name)
        => System.IO.Path.Combine(SharedFixtures.RepoRoot, "tests", "AlignLab.Engine.Tests", "Tokenizers", "Goldens", name);

    public static List<Case> Read(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path(name)));
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            cases.Add(new Case(
                c.GetProperty("text").GetString()!,
                [.. c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32())],
                c.TryGetProperty("decoded", out var d) ? d.GetString() : null,
                c.TryGetProperty("roundTrip", out var rt) && rt.GetBoolean()));
        }
        return cases;
    }

    /// <summary>One line per mismatch (at most 10), for an assertion message.</summary>
    public static string Describe(List<(string Text, int[] Expected, IReadOnlyList<int> Actual)> failures)
        => string.Join("\n", failures.Take(10).Select(f =>
            $"{JsonSerializer.Serialize(f.Text)}: expected [{string.Join(",", f.Expected)}] got [{string.Join(",", f.Actual)}]"));
}
