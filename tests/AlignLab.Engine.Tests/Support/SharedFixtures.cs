namespace AlignLab.Engine.Tests.Support;

/// <summary>
/// Locates <c>../shared</c> (third-party fixtures kept beside the repository). Tests that need it
/// call <see cref="Require"/>, which skips the test with a clear message when it is absent.
/// </summary>
internal static class SharedFixtures
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The absolute path of <c>../shared/RELATIVE</c>, or a skip when it is missing.</summary>
    public static string Require(string relative)
    {
        var root = Root.Value;
        var path = root is null ? null : Path.Combine(root, relative);
        if (path is null || !(File.Exists(path) || Directory.Exists(path)))
        {
            Assert.Skip($"../shared/{relative} is absent: this test needs the shared fixtures beside the repository (see ../shared/README.md).");
        }
        return path!;
    }

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("ALIGNLAB_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return Path.GetFullPath(env);
        }
        var candidate = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        return Directory.Exists(candidate) ? candidate : null;
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
