namespace AlignLab.JustEval;

/// <summary>
/// The files of a judge run, named after its output FILE.jsonl: FILE.run.json beside it, and the judgment cache —
/// judge-cache.jsonl in the output's folder unless given, so runs that write into one folder share their judgments.
/// </summary>
public sealed class JudgeFiles
{
    public const string DefaultCacheName = "judge-cache.jsonl";

    public JudgeFiles(string output, string? cache = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        Output = output;
        var folder = Path.GetDirectoryName(output) ?? "";
        Manifest = Path.Combine(folder, Path.GetFileNameWithoutExtension(output)) + ".run.json";
        Cache = cache ?? Path.Combine(folder, DefaultCacheName);
        if (Same(Manifest, output) || Same(Cache, output))
        {
            throw new ArgumentException($"{output}: the judgments file cannot be its own run.json or the judgment cache (use another FILE.jsonl)", nameof(output));
        }
        if (Same(Cache, Manifest))
        {
            throw new ArgumentException($"{cache}: the judgment cache cannot be the run's run.json", nameof(cache));
        }
    }

    /// <summary>One judged answer per line, rewritten whole at the end of each run.</summary>
    public string Output { get; }

    public string Manifest { get; }

    public string Cache { get; }

    /// <summary>Throws when <paramref name="input"/> is one of these files: a run must never write over the answers it reads.</summary>
    public void CheckNotInput(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var file in new[] { Output, Manifest, Cache })
        {
            if (Same(file, input))
            {
                throw new ArgumentException($"{input}: the answers file cannot also be the run's output, run.json or cache", nameof(input));
            }
        }
    }

    private static bool Same(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
