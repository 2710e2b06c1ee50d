using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Reports;

public sealed class ReportSizeTests
{
    /// <summary>Issue 4: 1,000 examples × 500 tokens must give a report of at most 50 MB.</summary>
    private const long MaxBytes = 50L * 1000 * 1000;

    [Fact]
    public void A_thousand_answers_of_five_hundred_tokens_fit_in_fifty_megabytes()
    {
        using var scratch = new ScratchDirectory();
        // Long instructions and full top-5 lists (the report keeps five candidates whatever the input has,
        // so longer input lists would only slow the test down).
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(1000, 500, topK: 5, instructionLength: 1000));

        var result = TdsReport.Write(scratch.Path);

        Assert.Equal(1000, result.Examples);
        Assert.Equal(500_000, result.Positions);
        Assert.True(result.Bytes <= MaxBytes, $"{result.Bytes:N0} bytes");
        TestContext.Current.TestOutputHelper?.WriteLine($"1,000 × 500 report: {result.Bytes:N0} bytes");
        using var report = ReportFile.Read(result.Path);
        Assert.Equal(500, report.PositionCount(0, 999));
    }
}
