using AlignLab.Runs;

namespace AlignLab.Reports;

/// <summary>
/// The report every <c>tds</c> run and merge writes at its end: <see cref="TdsReport.Write"/> on the run
/// folder (candidate texts from the base model's tokenizer, found through run.json). Warnings about the
/// input go to <paramref name="warn"/>; malformed input throws, as everywhere.
/// </summary>
public sealed class TdsReportWriter(Action<string>? warn = null) : IRunReportWriter
{
    public void Write(string runDirectory)
    {
        var result = TdsReport.Write(runDirectory);
        foreach (var warning in result.Warnings)
        {
            warn?.Invoke(warning);
        }
    }
}
