namespace AlignLab.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public async Task Version_prints_the_assembly_version()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("0.1.0", stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_option_is_one_line_on_stderr_and_exit_2()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("--no-such-option");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("--no-such-option", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("esc\u001b[31m", "esc\\u001b[31m")]
    [InlineData("plain", "plain")]
    public void Control_characters_are_escaped(string raw, string expected)
        => Assert.Equal(expected, ErrorLine.EscapeControl(raw));
}
