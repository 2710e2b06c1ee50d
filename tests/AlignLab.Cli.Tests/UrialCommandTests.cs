using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public sealed class UrialCommandTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data() => _dir.Write("data.json",
        "[{\"id\": \"a\", \"instruction\": \"Name a colour.\", \"category\": \"regular\"}, {\"id\": \"b\", \"instruction\": \"Say hello.\", \"category\": \"safety\"}]");

    [Fact]
    public async Task Urial_answers_every_instruction_and_prints_the_answers_file()
    {
        var output = _dir.File("answers.jsonl");
        var (code, stdout, stderr) = await CliRunner.RunAsync("urial", "--model", models.Spm, "--data", Data(), "--out", output,
            "--prompt", "zero", "--max-new-tokens", "6", "--repetition-penalty", "1.5", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal(output + "\n", stdout);
        Assert.Equal(["urial: 2 instructions", "urial: 1/2 id \"a\"", "urial: 2/2 id \"b\"", "urial: 2 instructions: 2 answered now, 0 before, 0 skipped"],
            stderr.TrimEnd('\n').Split('\n'));
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["a", "b"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(["regular", "safety"], lines.Select(l => l.GetProperty("category").GetString()));
        Assert.All(lines, l => Assert.Equal("spm+URIAL=zero", l.GetProperty("generator").GetString()));
        Assert.All(lines, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("output").GetString())));
        var manifest = JsonNode.Parse(File.ReadAllText(_dir.File("answers.run.json")))!;
        Assert.Equal("urial", manifest["command"]!.GetValue<string>());
        Assert.Equal(Path.GetFullPath(Data()), manifest["options"]!["data"]!.GetValue<string>());
        Assert.Equal("1/1", manifest["options"]!["shard"]!.GetValue<string>());

        // Run again: everything is answered already.
        (code, _, stderr) = await CliRunner.RunAsync("urial", "--model", models.Spm, "--data", Data(), "--out", output, "--prompt", "zero", "--max-new-tokens", "6", "--repetition-penalty", "1.5");
        Assert.True(code == 0, stderr);
        Assert.EndsWith("urial: 2 instructions: 0 answered now, 2 before, 0 skipped\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_too_long_for_the_context_skips_every_instruction_and_says_why()
    {
        var output = _dir.File("answers.jsonl");
        // The default prompt, stylistic, has about 800 tokens; the fixture's context is 256.
        var (code, _, stderr) = await CliRunner.RunAsync("urial", "--model", models.Spm, "--data", Data(), "--out", output, "--max-new-tokens", "4", "--limit", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("urial: 1 instructions: 0 answered now, 0 before, 1 skipped\n", stderr, StringComparison.Ordinal);
        Assert.Matches("urial: skipped id \"a\": the prompt's [0-9]+ tokens and 4 new tokens exceed the context of 256\n", stderr);
        Assert.Equal("", File.ReadAllText(output));
    }

    [Theory]
    [InlineData("error: urial: --samples: 2 samples need a temperature above 0: greedy decoding gives the same answer every time", "--samples", "2")]
    [InlineData("error: urial: --max-new-tokens: max new tokens 0 must be ≥ 1", "--max-new-tokens", "0")]
    [InlineData("error: urial: top-p 0 must be in (0, 1]", "--top-p", "0")]
    [InlineData("error: urial: shard \"3/2\": expected I/N with 1 ≤ I ≤ N, e.g. 2/4", "--shard", "3/2")]
    [InlineData("error: urial: unknown prompt 'stylish': not an existing file, nor one of the built-in prompts zero, preamble, stylistic", "--prompt", "stylish")]
    public async Task Bad_options_are_usage_errors(string expected, params string[] option)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(["urial", "--model", models.Spm, "--data", Data(), "--out", _dir.File("x.jsonl"), .. option]);
        Assert.Equal(2, code);
        Assert.Equal(expected + "\n", stderr);
    }

    [Fact]
    public async Task Missing_options_and_a_bad_data_file_are_one_line_each()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("urial", "--data", Data(), "--out", _dir.File("x.jsonl"));
        Assert.Equal((2, "error: urial: --model is required\n"), (code, stderr));
        var bad = _dir.Write("bad.jsonl", "{\"id\": 1, \"instruction\": \"ok\"}\n{\"id\": 2}\n");
        (code, _, stderr) = await CliRunner.RunAsync("urial", "--model", models.Spm, "--data", bad, "--out", _dir.File("x.jsonl"));
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {bad}:2: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Generate_set_answers_with_the_chat_template_in_the_same_format()
    {
        var output = _dir.File("chat.jsonl");
        var (code, stdout, stderr) = await CliRunner.RunAsync("generate-set", "--model", models.Spm, "--data", Data(), "--out", output,
            "--system", "Be brief.", "--max-new-tokens", "5", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal(output + "\n", stdout);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["a", "b"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.All(lines, l => Assert.Equal(["id", "instruction", "category", "output", "generator"], l.EnumerateObject().Select(p => p.Name)));
        Assert.All(lines, l => Assert.Equal("spm", l.GetProperty("generator").GetString()));
        var manifest = JsonNode.Parse(File.ReadAllText(_dir.File("chat.run.json")))!;
        Assert.Equal("generate-set", manifest["command"]!.GetValue<string>());
        Assert.Equal("Be brief.", manifest["options"]!["system"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_set_takes_a_chat_template_file_for_a_model_without_one()
    {
        var template = _dir.Write("template.jinja", "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}assistant:");
        var output = _dir.File("chat.jsonl");
        var (code, _, stderr) = await CliRunner.RunAsync("generate-set", "--model", models.SpmWithoutTemplate, "--data", Data(), "--out", output,
            "--chat-template", template, "--max-new-tokens", "3", "--limit", "1");
        Assert.True(code == 0, stderr);
        Assert.Single(File.ReadAllLines(output));
        var options = JsonNode.Parse(File.ReadAllText(_dir.File("chat.run.json")))!["options"]!;
        Assert.Equal(Path.GetFullPath(template), options["chat_template"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(template))), options["chat_template_sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_set_needs_a_chat_template()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("generate-set", "--model", models.SpmWithoutTemplate, "--data", Data(), "--out", _dir.File("chat.jsonl"));
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("template", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("chat.run.json")));
    }
}
