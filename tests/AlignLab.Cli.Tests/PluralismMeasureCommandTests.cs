using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public sealed class PluralismMeasureCommandTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Measures_with_an_embedder_write_the_summary_and_print_its_path()
    {
        var reference = _dir.Write("chat.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"The sky is blue.\"}, {\"output\": \"Blue, mostly.\"}]}\n");
        var alternative = _dir.Write("base.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"Green.\"}, {\"output\": \"The sky is blue.\"}]}\n");
        var output = _dir.File("measures");
        var (code, stdout, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--alt", alternative, "--out", output,
            "--embedder", models.Spm, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.Combine(output, "summary.json") + "\n", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "summary.json")))!;
        Assert.Equal(["chat", "base"], summary["models"]!.AsObject().Select(p => p.Key));
        var cosine = summary["models"]!["chat"]!["embedding_cosine_mean"]!["mean"]!.GetValue<double>();
        Assert.InRange(cosine, -1, 1);
        Assert.InRange(summary["models"]!["base"]!["similarity_to_reference"]!["mean"]!.GetValue<double>(), -1, 1);
        Assert.Single(File.ReadAllLines(Path.Combine(output, "instructions.jsonl")));
    }

    [Fact]
    public async Task Missing_and_clashing_inputs_are_one_line_errors()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--out", _dir.File("o"));
        Assert.Equal((2, "error: pluralism measure: --ref is required (the reference samples)\n"), (code, stderr));
        var set = _dir.Write("same.jsonl", "{\"id\": 1, \"output\": \"a\"}\n");
        (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", set, "--alt", set, "--out", _dir.File("o"));
        Assert.Equal(2, code);
        Assert.Equal("error: pluralism measure: two sample sets are named 'same' (after their files): rename one\n", stderr);
    }
}
