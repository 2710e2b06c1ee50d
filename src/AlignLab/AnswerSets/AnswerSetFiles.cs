namespace AlignLab.AnswerSets;

/// <summary>
/// The files of an answer set, named after the answers file FILE.jsonl: FILE.run.json beside it (the run's
/// manifest, one per answer set, so several sets can share a folder) and, with several samples per
/// instruction, FILE.samples.jsonl holding every sample.
/// </summary>
public sealed class AnswerSetFiles
{
    public AnswerSetFiles(string answers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(answers);
        Answers = answers;
        var stem = Path.Combine(Path.GetDirectoryName(answers) ?? "", Path.GetFileNameWithoutExtension(answers));
        Manifest = stem + ".run.json";
        Samples = stem + ".samples.jsonl";
        if (PathEquals(Manifest, answers) || PathEquals(Samples, answers))
        {
            throw new ArgumentException($"{answers}: the answers file cannot be named like its own manifest or samples file (use FILE.jsonl)", nameof(answers));
        }
    }

    /// <summary>One Just-Eval record per line.</summary>
    public string Answers { get; }

    /// <summary>The run.json of the set.</summary>
    public string Manifest { get; }

    /// <summary>Every sample and which one was kept, one instruction per line.</summary>
    public string Samples { get; }

    private static bool PathEquals(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
