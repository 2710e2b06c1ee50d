using AlignLab.Reports;
using AlignLab.Runs;

namespace AlignLab.Cli.Commands;

/// <summary>
/// The report every <c>tds</c> run and merge writes at its end (report.html, see <see cref="TdsReport"/>);
/// its warnings go to stderr like the command's other logs.
/// </summary>
internal static class RunReport
{
    public static IRunReportWriter Writer(CliContext context)
        => new TdsReportWriter(warning => context.Err.WriteLine("warning: " + ErrorLine.EscapeControl(warning)));
}
