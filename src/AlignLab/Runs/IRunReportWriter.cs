namespace AlignLab.Runs;

/// <summary>
/// Writes a run folder's report (report.html) from the files the run wrote. Every run calls it once at
/// its very end, a resumed run and a merge included; the CLI decides which writer to plug in.
/// </summary>
public interface IRunReportWriter
{
    void Write(string runDirectory);
}
