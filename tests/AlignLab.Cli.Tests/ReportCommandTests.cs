using AlignLab.Engine.Tests.Support;
using AlignLab.Tests.Support;

namespace AlignLab.Cli.Tests;

public class ReportCommandTests
{
    private static void OneErrorLine(int code, string stdout, string stderr, int expectedCode, string expected)
    {
        Assert.Equal(expectedCode, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_writes_dir_report_html_and_says_what_it_holds()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSeveral(scratch.Path, [("chat", SyntheticExamples.Create(3, 10)), ("vicuna", SyntheticExamples.Create(2, 10))]);

        var (code, stdout, stderr) = await CliRunner.RunAsync("report", scratch.Path);

        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var path = scratch.File("report.html");
        Assert.StartsWith($"{path}: 2 aligned models (chat, vicuna), 5 examples, 50 positions, ", stdout, StringComparison.Ordinal);
        Assert.EndsWith(" MB\n", stdout, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_writes_the_report_elsewhere()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.File("run"), SyntheticExamples.Create(1, 4));
        var output = scratch.File("elsewhere.html");

        var (code, stdout, stderr) = await CliRunner.RunAsync("report", scratch.File("run"), "--out", output);

        Assert.True(code == 0, stderr);
        Assert.StartsWith(output + ": 1 aligned model (aligned-model), 1 examples, 4 positions", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(scratch.File("run/report.html")));
    }

    [Fact]
    public async Task A_malformed_line_is_one_error_line_naming_file_line_and_field()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(2, 4));
        var lines = await File.ReadAllLinesAsync(scratch.File("positions.jsonl"), TestContext.Current.CancellationToken);
        lines[1] = lines[1].Replace("\"class\":\"", "\"class\":\"bogus-", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(scratch.File("positions.jsonl"), lines, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await CliRunner.RunAsync("report", scratch.Path);

        OneErrorLine(code, stdout, stderr, 1, $"{scratch.File("positions.jsonl")}:2: tokens[0].class: expected \"unshifted\", \"marginal\" or \"shifted\"");
        Assert.False(File.Exists(scratch.File("report.html")));
    }

    [Fact]
    public async Task A_missing_directory_is_one_error_line()
    {
        var missing = Path.Combine(Path.GetTempPath(), "alignlab-no-run-" + Guid.NewGuid().ToString("N"));
        var (code, stdout, stderr) = await CliRunner.RunAsync("report", missing);
        OneErrorLine(code, stdout, stderr, 1, $"{missing}: no such directory");
    }

    [Fact]
    public async Task Out_into_a_missing_folder_is_a_usage_error()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(1, 4));
        var (code, stdout, stderr) = await CliRunner.RunAsync("report", scratch.Path, "--out", scratch.File("no/such/folder/r.html"));
        OneErrorLine(code, stdout, stderr, 2, "report: --out");
    }

    [Fact]
    public async Task A_torn_last_line_is_a_warning_on_stderr()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(2, 4));
        await File.AppendAllTextAsync(scratch.File("positions.jsonl"), "{\"id\": 3, \"instr", TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await CliRunner.RunAsync("report", scratch.Path);

        Assert.True(code == 0, stderr);
        Assert.Equal($"warning: {scratch.File("positions.jsonl")}:3: incomplete last line left out (a run still writing, or one that was killed)\n", stderr);
        Assert.Contains("2 examples", stdout, StringComparison.Ordinal);
    }
}
