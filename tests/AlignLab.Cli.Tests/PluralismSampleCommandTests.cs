using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public sealed class PluralismSampleCommandTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data() => _dir.Write("data.json",
        "[{\"id\": \"a\", \"instruction\": \"Name a colour.\", \"category\": \"regular\"}, {\"id\": 7, \"instruction\": \"Say hello.\"}]");

    [Fact]
    public async Task Every_answer_line_keeps_all_its_samples_and_a_second_run_resumes()
    {
        var output = _dir.File("samples.jsonl");
        string[] args = ["pluralism", "sample", "--model", models.Spm, "--data", Data(), "--out", output, "--prompt", "chat", "--samples", "3",
            "--temperature", "1.5", "--max-new-tokens", "4", "--threads", "1"];
        var (code, stdout, stderr) = await CliRunner.RunAsync(args);
        Assert.True(code == 0, stderr);
        Assert.Equal(output + "\n", stdout);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("a", lines[0].GetProperty("id").GetString());
        Assert.Equal(7, lines[1].GetProperty("id").GetInt32());
        foreach (var line in lines)
        {
            Assert.Equal(["id", "instruction", "category", "output", "generator", "chosen", "samples"], line.EnumerateObject().Select(p => p.Name));
            var samples = line.GetProperty("samples").EnumerateArray().ToList();
            Assert.Equal(3, samples.Count);
            Assert.All(samples, s => Assert.InRange(s.GetProperty("tokens").GetInt32(), 1, 4));
            var chosen = line.GetProperty("chosen").GetInt32();
            Assert.Equal(samples[chosen].GetProperty("output").GetString(), line.GetProperty("output").GetString());
        }
        Assert.False(File.Exists(_dir.File("samples.samples.jsonl")));
        var manifest = JsonNode.Parse(File.ReadAllText(_dir.File("samples.run.json")))!;
        Assert.Equal("pluralism sample", manifest["command"]!.GetValue<string>());
        Assert.Equal(1.5, manifest["options"]!["temperature"]!.GetValue<double>());
        Assert.Equal(1.1, manifest["options"]!["repetition_penalty"]!.GetValue<double>());

        var before = File.ReadAllText(output);
        (code, _, stderr) = await CliRunner.RunAsync(args);
        Assert.True(code == 0, stderr);
        Assert.EndsWith("pluralism sample: 2 instructions: 0 answered now, 2 before, 0 skipped\n", stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(output));

    }

    [Fact]
    public async Task A_urial_answer_set_with_the_same_settings_is_not_continued_with_samples_in_its_lines()
    {
        var output = _dir.File("urial.jsonl");
        string[] settings = ["--model", models.Spm, "--data", Data(), "--out", output, "--prompt", "zero", "--samples", "2", "--temperature", "1.5",
            "--repetition-penalty", "1.1", "--max-new-tokens", "3", "--limit", "1", "--threads", "1"];
        var (code, _, stderr) = await CliRunner.RunAsync(["urial", .. settings]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await CliRunner.RunAsync(["pluralism", "sample", .. settings]);
        Assert.Equal(1, code);
        Assert.Contains("samples_in_answers", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_urial_prompt_name_that_does_not_exist_is_a_usage_error()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("pluralism", "sample", "--model", models.Spm, "--data", Data(), "--out", _dir.File("x.jsonl"), "--prompt", "chatty");
        Assert.Equal(2, code);
        Assert.Equal("error: pluralism sample: unknown prompt 'chatty': not an existing file, nor one of the built-in prompts zero, preamble, stylistic\n", stderr);
    }
}
