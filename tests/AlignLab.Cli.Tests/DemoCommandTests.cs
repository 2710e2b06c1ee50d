using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

/// <summary><c>alignlab demo</c> at the minimal organism size: a real run, a cached rerun, --fresh and bad options.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private Task<(int Code, string Stdout, string Stderr)> Demo(params string[] extra)
        => CliRunner.RunAsync(["demo", "--size", "minimal", "--cache", _scratch.File("cache"), "--out", _scratch.File("out"), "--threads", "2", .. extra]);

    [Fact]
    public async Task BuildsReusesAndRebuildsTheOrganism()
    {
        var report = Path.Combine(_scratch.File("out"), "report.html");
        var (code, stdout, stderr) = await Demo();
        Assert.True(code == 0, stderr);
        Assert.Equal(report + "\n", stdout);
        Assert.Contains("demo: training for ", stderr, StringComparison.Ordinal);
        Assert.Contains("demo: open the report: " + report, stderr, StringComparison.Ordinal);
        foreach (var run in new[] { "plain", "urial" })
        {
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_scratch.File("out"), run, "summary.json")))!;
            Assert.NotNull(summary["organism"]?["style"]?["shifted"]);
            Assert.True(File.Exists(Path.Combine(_scratch.File("out"), run, "report.html")));
        }
        var page = File.ReadAllText(report);
        Assert.Contains("plain/report.html", page, StringComparison.Ordinal);
        Assert.Contains("urial/report.html", page, StringComparison.Ordinal);

        (code, _, stderr) = await Demo();
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("training for", stderr, StringComparison.Ordinal);
        // Both TDS runs find every example done.
        Assert.Equal(2, Regex.Matches(stderr, @"aligned: (\d+) examples, \1 already done").Count);

        (code, _, stderr) = await Demo("--fresh");
        Assert.True(code == 0, stderr);
        Assert.Contains("demo: training for ", stderr, StringComparison.Ordinal);
        Assert.Contains(", 0 already done", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--size", "huge", "huge")]
    [InlineData("--threads", "0", "demo: --threads 0 must be ≥ 1")]
    [InlineData("--out", " ", "--out DIR must not be empty")]
    public async Task BadOptionsAreOneLineUsageErrors(string option, string value, string expected)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("demo", option, value, "--cache", _scratch.File("cache"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_scratch.File("cache")));
    }
}
