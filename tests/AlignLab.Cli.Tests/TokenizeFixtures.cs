using System.Text.Json;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

/// <summary>The engine's committed tokenizer goldens, for the tokenize command tests.</summary>
internal static class TokenizeFixtures
{
    /// <summary>(text, ids) pairs of a golden file under tests/AlignLab.Engine.Tests/Tokenizers/Goldens.</summary>
    public static List<(string Text, int[] Ids)> Golden(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFixtures.RepoRoot, "tests", "AlignLab.Engine.Tests", "Tokenizers", "Goldens", name)));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
            (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray()))];
    }
}
