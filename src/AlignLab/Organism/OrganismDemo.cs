using AlignLab.Engine.Formats;
using AlignLab.Runs;
using AlignLab.Tds;

namespace AlignLab.Organism;

/// <summary>
/// <c>alignlab demo</c> after the organism is built: TDS on its held-out set twice, with the plain base prompt
/// (<c>DIR/plain/</c>) and with a URIAL prompt in the world's style (<c>DIR/urial/</c>, the prompt in
/// <c>DIR/urial-prompt.md</c>), then <c>DIR/report.html</c> linking both (<see cref="DemoReport"/>). The answers
/// analysed are the world's labelled reference answers, teacher-forced through both models, so every position
/// has a ground-truth style or knowledge label. Each TDS folder resumes like any run; a finished one is reused.
/// </summary>
public sealed class OrganismDemo(OrganismModels models, string outputDirectory)
{
    public const string PlainFolder = "plain";
    public const string UrialFolder = "urial";
    public const string UrialPromptFile = OrganismData.UrialPromptFile;

    public string Output { get; } = Path.GetFullPath(outputDirectory ?? throw new ArgumentNullException(nameof(outputDirectory)));

    public string PlainRun => Path.Combine(Output, PlainFolder);

    public string UrialRun => Path.Combine(Output, UrialFolder);

    /// <summary>Removes earlier TDS results in the output folder (for <c>--fresh</c>): they belong to the models being replaced.</summary>
    public void DiscardResults()
    {
        foreach (var folder in new[] { PlainRun, UrialRun }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs (or resumes) both TDS runs, each writing its own report through <paramref name="report"/>.</summary>
    public void RunTds(ITdsProgress progress, IRunReportWriter? report, int? threads = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Directory.CreateDirectory(Output);
        // A copy beside the results, so the run's prompt is where its readers look (run.json names this path).
        var promptPath = Path.Combine(Output, UrialPromptFile);
        AtomicFile.WriteAllText(promptPath, File.ReadAllText(models.UrialPrompt));
        var pipeline = new TdsPipeline();
        foreach (var (folder, basePrompt) in new[] { (PlainRun, "plain"), (UrialRun, promptPath) })
        {
            progress.Message($"TDS with the {(basePrompt == "plain" ? "plain" : "URIAL")} base prompt → {folder}");
            pipeline.Run(Options(folder, basePrompt, threads), progress, report, cancel);
        }
    }

    /// <summary>Writes <c>DIR/report.html</c> from both runs' summaries; returns its path.</summary>
    public string WriteReport() => DemoReport.Write(Output, models, PlainRun, UrialRun);

    private TdsRunOptions Options(string folder, string basePrompt, int? threads) => new()
    {
        Base = models.Base.Output,
        Aligned = [models.Aligned.Output],
        Data = models.HeldOut,
        Out = folder,
        BasePrompt = basePrompt,
        Analysis = new TdsAnalysisOptions { UseOutputs = true },
        Threads = threads,
    };
}
