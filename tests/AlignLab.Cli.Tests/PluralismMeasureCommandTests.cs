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

    /// <summary>A judge that answers every coverage question: missing 2, one topic in both, stance yes.</summary>
    private static string Judge(System.Text.Json.JsonElement body)
    {
        var prompt = FakeJudgeServer.Prompt(body);
        return prompt.Contains("List the topics", StringComparison.Ordinal) ? "{\"topics\": [{\"topic\": \"sky\", \"in\": \"both\"}]}"
            : prompt.Contains("Classify the answer's stance", StringComparison.Ordinal) ? "{\"stance\": \"yes\", \"reason\": \"r\"}"
            : "{\"missing\": {\"reason\": \"r\", \"score\": 2}}";
    }

    private (string Reference, string Alternative, string Stances) Inputs()
    {
        var reference = _dir.Write("chat.jsonl", "{\"id\": 1, \"instruction\": \"Is the sky blue?\", \"samples\": [{\"output\": \"The sky is blue.\"}, {\"output\": \"Blue, mostly.\"}]}\n");
        var alternative = _dir.Write("base.jsonl", "{\"id\": 1, \"instruction\": \"Is the sky blue?\", \"samples\": [{\"output\": \"Green.\"}, {\"output\": \"The sky is blue.\"}]}\n");
        return (reference, alternative, _dir.Write("stance.jsonl", "{\"id\": 1}\n"));
    }

    [Fact]
    public async Task A_judge_adds_coverage_bertscore_is_measured_and_a_rerun_asks_nothing()
    {
        var (reference, alternative, stances) = Inputs();
        await using var server = await FakeJudgeServer.StartAsync(Judge);
        var output = _dir.File("measures");
        string[] arguments = ["pluralism", "measure", "--ref", reference, "--alt", alternative, "--out", output, "--embedder", models.Spm, "--bertscore-layer", "1",
            "--threads", "1", "--judge", server.Reference, "--stance-data", stances, "--concurrency", "1"];
        var (code, stdout, stderr) = await CliRunner.RunAsync(arguments);
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.Combine(output, "summary.json") + "\n", stdout);
        // missing + topics for the base and the reference's baseline, and a stance for each of 2 samples of 2 sets.
        Assert.True(stderr.Contains("pluralism measure: 8 judge questions: 8 answered now, 0 before, 0 failed, 0 pending; 8 requests, 960 prompt and 240 completion tokens\n", StringComparison.Ordinal), stderr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "summary.json")))!;
        Assert.Equal(2.0, summary["models"]!["base"]!["coverage_missing"]!["mean"]!.GetValue<double>());
        Assert.Equal(1.0, summary["models"]!["chat"]!["stance_yes"]!["mean"]!.GetValue<double>());
        Assert.InRange(summary["models"]!["base"]!["bertscore_f1"]!["mean"]!.GetValue<double>(), -1, 1);
        Assert.EndsWith("layer 1 tokens", summary["token_embedder"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "judge-cache.jsonl")));

        (code, _, stderr) = await CliRunner.RunAsync(arguments);
        Assert.True(code == 0, stderr);
        Assert.Contains("8 judge questions: 0 answered now, 8 before, 0 failed, 0 pending; 0 requests", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_counts_the_judge_requests_and_sends_and_writes_nothing()
    {
        var (reference, alternative, stances) = Inputs();
        await using var server = await FakeJudgeServer.StartAsync(Judge);
        var output = _dir.File("measures");
        var (code, stdout, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--alt", alternative, "--out", output,
            "--judge", server.Reference, "--stance-data", stances, "--dry-run", "--max-requests", "4");
        Assert.True(code == 0, stderr);
        Assert.Matches("^pluralism measure --dry-run: 8 judge questions \\(2 missing, 2 topics, 4 stance\\), 0 answered before: 4 requests \\(up to 4 with retries\\), about [0-9,]+ prompt tokens \\(at 4 characters a token\\) and at most 4,096 completion tokens\n$", stdout);
        Assert.Equal(0, server.Requests);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Judge_options_without_a_judge_and_unknown_stance_ids_are_one_line_errors()
    {
        var (reference, alternative, _) = Inputs();
        var (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--alt", alternative, "--out", _dir.File("o"), "--stance-data", "x.jsonl");
        Assert.Equal((2, "error: pluralism measure: --stance-data needs --judge (the coverage judge)\n"), (code, stderr));
        (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--out", _dir.File("o"), "--bertscore-layer", "1");
        Assert.Equal((2, "error: pluralism measure: --bertscore-layer needs --embedder (the model whose token vectors it takes)\n"), (code, stderr));
        (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--out", _dir.File("o"), "--embedder", "https://embed.example/v1#e", "--bertscore-layer", "3");
        Assert.Equal((2, "error: pluralism measure: https://embed.example/v1#e: a served embedder gives no token vectors, so it has no token layer (BERTScore needs a local model)\n"), (code, stderr));
        var unknown = _dir.Write("unknown.jsonl", "{\"id\": 7}\n");
        (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--out", _dir.File("o"), "--judge", "https://judge.example/v1#j", "--stance-data", unknown);
        Assert.Equal((1, $"error: {unknown}:1: id 7 is not among the reference samples of chat\n"), (code, stderr));
        (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--out", _dir.File("o"), "--embedder", models.Spm, "--bertscore-layer", "99");
        Assert.Equal(2, code);
        Assert.StartsWith("error: pluralism measure: layer 99 is not within 0 (the embeddings) to the", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }
}
