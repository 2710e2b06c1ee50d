using System.Text.Json;

namespace AlignLab.Cli.Tests;

/// <summary>Paths the tokenize tests need: ../shared fixtures (skip when absent) and the engine's committed goldens.</summary>
internal static class TokenizeFixtures
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared(string relative)
    {
        var root = Environment.GetEnvironmentVariable("ALIGNLAB_SHARED") is { Length: > 0 } env ? env : Path.Combine(RepoRoot, "..", "shared");
        var path = Path.GetFullPath(Path.Combine(root, relative));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Skip($"../shared/{relative} is absent: this test needs the shared fixtures beside the repository.");
        }
        return path;
    }

    /// <summary>(text, ids) pairs of a golden file under tests/AlignLab.Engine.Tests/Tokenizers/Goldens.</summary>
    public static List<(string Text, int[] Ids)> Golden(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, "tests", "AlignLab.Engine.Tests", "Tokenizers", "Goldens", name)));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
            (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray()))];
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlignLab.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AlignLab.sln not found above " + AppContext.BaseDirectory);
    }
}
