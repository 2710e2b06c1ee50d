using AlignLab.Engine.Formats;
using AlignLab.Engine.Hub;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;
using AlignLab.Data;

namespace AlignLab.Reports;

/// <summary>How to write a report.</summary>
public sealed record TdsReportOptions
{
    /// <summary>Where to write; default DIR/report.html.</summary>
    public string? OutputPath { get; init; }

    /// <summary>
    /// The models' tokenizer, to show the text of candidate tokens that no answer contains. When null,
    /// the base model named in run.json is opened for it if it is on disk; failing that, such candidates
    /// are shown by id.
    /// </summary>
    public ITokenizer? Tokenizer { get; init; }

    public ReportLimits Limits { get; init; } = new();
}

/// <summary>What a report holds: its file, size, models and examples, and any warnings about the input.</summary>
public sealed record TdsReportResult(string Path, long Bytes, IReadOnlyList<string> Models, long Examples, long Positions, IReadOnlyList<string> Warnings);

/// <summary>
/// Turns a TDS run directory (docs/TDS-SCHEMA.md: one aligned model, or several in subfolders) into one
/// self-contained, offline HTML report: overview charts and tables from each summary.json, and an
/// example browser over each positions.jsonl. The file is replaced atomically; malformed input is a
/// <see cref="DataFormatException"/> naming the file, line and field, and leaves any old report as it was.
/// </summary>
public static class TdsReport
{
    public const string FileName = "report.html";

    public static TdsReportResult Write(string runDirectory, TdsReportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        options ??= new TdsReportOptions();
        if (!Directory.Exists(runDirectory))
        {
            throw new DataFormatException($"{runDirectory}: no such directory");
        }
        var runPath = Path.Combine(runDirectory, RunInfo.FileName);
        var run = File.Exists(runPath) ? RunInfo.Read(runPath, options.Limits.MaxRunJsonBytes) : RunInfo.Empty;
        var models = RunLayout.Detect(runDirectory, run);
        // Summaries are small: reading them first finds a broken one before minutes go into positions.
        var summaries = models.Select(m => File.Exists(m.SummaryPath)
            ? SummaryParser.Read(m.SummaryPath, options.Limits.MaxSummaryBytes)
            : throw new DataFormatException($"{m.SummaryPath}: file not found (each positions.jsonl needs its summary.json beside it)")).ToList();
        var warnings = new List<string>();
        var tokenizer = options.Tokenizer ?? BaseTokenizer(run, warnings);
        var output = options.OutputPath ?? Path.Combine(runDirectory, FileName);
        ReportCounts? counts = null;
        AtomicFile.Write(output, stream => counts = ReportPage.Write(stream, new ReportSource(runDirectory, run, models, summaries, tokenizer, options.Limits)));
        return new TdsReportResult(output, new FileInfo(output).Length, [.. models.Select(m => m.Name)], counts!.Examples, counts.Positions, [.. warnings, .. counts.Warnings]);
    }

    /// <summary>The base model's tokenizer when run.json names a model that is on disk; otherwise null, with a warning when loading failed.</summary>
    private static Tokenizer? BaseTokenizer(RunInfo run, List<string> warnings)
    {
        if (run.Base?.Path is not { Length: > 0 } path || !(File.Exists(path) || Directory.Exists(path)))
        {
            return null;
        }
        try
        {
            using var model = LocalModel.Open(path);
            return model.LoadTokenizer();
        }
        catch (Exception e) when (e is ModelFormatException or ModelReferenceException or HubException or IOException or UnauthorizedAccessException
            or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            warnings.Add($"{path}: could not load the base model's tokenizer, so candidates that no answer contains are shown by id: {e.Message}");
            return null;
        }
    }
}
