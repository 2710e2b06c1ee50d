using AlignLab.Runs;

namespace AlignLab.Cli.Commands;

/// <summary>
/// The report every <c>tds</c> run and merge writes at its end (report.html, built by the report layer).
/// This is the one place to plug it in; until then no report is written.
/// </summary>
internal static class RunReport
{
    public static IRunReportWriter? Writer => null;
}
