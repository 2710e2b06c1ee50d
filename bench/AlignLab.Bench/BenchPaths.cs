namespace AlignLab.Bench;

/// <summary>Finds ../shared (fixtures beside the repository) from wherever BenchmarkDotNet runs us.</summary>
internal static class BenchPaths
{
    public static string Shared(string relative)
    {
        var env = Environment.GetEnvironmentVariable("ALIGNLAB_SHARED");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlignLab.sln")))
            {
                var root = string.IsNullOrEmpty(env) ? Path.Combine(dir.FullName, "..", "shared") : env;
                var path = Path.GetFullPath(Path.Combine(root, relative));
                return File.Exists(path) ? path : throw new FileNotFoundException("benchmark input missing (needs ../shared)", path);
            }
        }
        throw new DirectoryNotFoundException("AlignLab.sln not found above " + AppContext.BaseDirectory);
    }
}
