using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;
using AlignLab.Server;

namespace AlignLab.Cli.Tests;

/// <summary>
/// The one-model commands with a served model (--tokenizer, --concurrency) and embed through /v1/embeddings, against
/// alignlab serve on a free loopback port; and the clear usage errors when those options meet a local model.
/// </summary>
public sealed class ServedModelCommandTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data() => _dir.Write("data.json", "[" + string.Join(", ", Enumerable.Range(0, 5).Select(i => $$"""{"id": {{i}}, "instruction": "Item {{i}}: name a colour."}""")) + "]");

    private Task<ModelServer> ServeAsync() => ModelServer.StartAsync(new ServerOptions { Model = models.Spm, Port = 0, ServedModelName = "spm", Threads = 1 }, TestContext.Current.CancellationToken);

    private static List<JsonElement> Lines(string path) => [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public async Task Urial_over_a_served_model_with_a_local_tokenizer_answers_as_the_local_model()
    {
        await using var server = await ServeAsync();
        var local = _dir.File("local.jsonl");
        var (code, _, stderr) = await CliRunner.RunAsync("urial", "--model", models.Spm, "--data", Data(), "--out", local, "--prompt", "zero", "--max-new-tokens", "6", "--threads", "1");
        Assert.True(code == 0, stderr);
        var served = _dir.File("served.jsonl");
        (code, _, stderr) = await CliRunner.RunAsync("urial", "--model", server.ModelReference, "--tokenizer", models.Spm, "--concurrency", "3",
            "--data", Data(), "--out", served, "--prompt", "zero", "--max-new-tokens", "6");
        Assert.True(code == 0, stderr);
        Assert.Equal(Lines(local).Select(l => (l.GetProperty("id").GetInt32(), l.GetProperty("output").GetString())),
            Lines(served).Select(l => (l.GetProperty("id").GetInt32(), l.GetProperty("output").GetString())));
        var options = JsonNode.Parse(File.ReadAllText(_dir.File("served.run.json")))!["options"]!;
        Assert.Equal(models.Spm, options["tokenizer"]!.GetValue<string>());
        Assert.Equal(3, options["concurrency"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("urial", "--tokenizer", "error: urial: --tokenizer is for a served --model (http(s)://HOST:PORT/v1#NAME); a local model uses its own tokenizer and answers one instruction at a time")]
    [InlineData("generate-set", "--concurrency", "error: generate-set: --concurrency is for a served --model (http(s)://HOST:PORT/v1#NAME); a local model uses its own tokenizer and answers one instruction at a time")]
    public async Task Served_model_options_with_a_local_model_are_one_usage_line(string command, string option, string message)
    {
        var value = option == "--tokenizer" ? models.Spm : "2";
        var (code, stdout, stderr) = await CliRunner.RunAsync(command, "--model", models.Spm, option, value, "--data", Data(), "--out", _dir.File("x.jsonl"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(message + "\n", stderr);
        Assert.False(File.Exists(_dir.File("x.jsonl")));
    }

    [Fact]
    public async Task Tds_concurrency_needs_served_models()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("tds", "--base", models.Spm, "--aligned", models.Spm, "--data", Data(), "--out", _dir.File("run"), "--concurrency", "2");
        Assert.Equal(2, code);
        Assert.Equal("error: tds: --concurrency: concurrency 2 needs the base and every aligned model served (http(s)://HOST:PORT/v1#MODEL); local models analyse one example at a time\n", stderr);
        (code, _, stderr) = await CliRunner.RunAsync("urial", "--model", "http://127.0.0.1:9/v1#m", "--concurrency", "0", "--data", Data(), "--out", _dir.File("y.jsonl"));
        Assert.Equal(2, code);
        Assert.Equal("error: urial: --concurrency 0 must be within 1 to 1024\n", stderr);
    }

    [Fact]
    public async Task Embed_through_a_served_model_equals_embed_with_the_local_model()
    {
        await using var server = await ServeAsync();
        var texts = _dir.Write("texts.jsonl", "{\"text\": \"The sky is blue.\"}\n{\"text\": \"Hello there\"}\n{\"text\": \"¿Qué tal?\"}\n");
        var (code, localOut, stderr) = await CliRunner.RunAsync("embed", models.Spm, "--texts", texts, "--threads", "1");
        Assert.True(code == 0, stderr);
        (code, var servedOut, stderr) = await CliRunner.RunAsync("embed", server.ModelReference, "--texts", texts);
        Assert.True(code == 0, stderr);
        var expected = localOut.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray()).ToList();
        var got = servedOut.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray()).ToList();
        Assert.Equal(3, got.Count);
        for (var t = 0; t < expected.Count; t++)
        {
            Assert.Equal(expected[t].Length, got[t].Length);
            for (var i = 0; i < expected[t].Length; i++)
            {
                Assert.Equal(expected[t][i], got[t][i], 1e-5f);
            }
        }

        (code, _, stderr) = await CliRunner.RunAsync("embed", server.ModelReference, "--texts", texts, "--layer", "1");
        Assert.Equal(2, code);
        Assert.Equal($"error: embed: {server.ModelReference}: a served embedder's layer and pooling are the server's (alignlab serve --embedding-layer, --embedding-pooling), not the client's (leave out --layer and --pooling)\n", stderr);
    }

    [Fact]
    public async Task Pluralism_measure_with_a_served_embedder_gives_the_local_embedders_similarities()
    {
        await using var server = await ServeAsync();
        var reference = _dir.Write("chat.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"The sky is blue.\"}, {\"output\": \"Blue, mostly.\"}]}\n");
        var alternative = _dir.Write("base.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"Green.\"}, {\"output\": \"The sky is blue.\"}]}\n");
        var summaries = new List<JsonNode>();
        foreach (var embedder in new[] { models.Spm, server.ModelReference })
        {
            var output = _dir.File("measures-" + summaries.Count);
            var (code, _, stderr) = await CliRunner.RunAsync("pluralism", "measure", "--ref", reference, "--alt", alternative, "--out", output, "--embedder", embedder, "--threads", "1");
            Assert.True(code == 0, stderr);
            summaries.Add(JsonNode.Parse(File.ReadAllText(Path.Combine(output, "summary.json")))!);
        }
        foreach (var (model, measure) in new[] { ("chat", "embedding_cosine_mean"), ("base", "embedding_cosine_mean"), ("base", "similarity_to_reference") })
        {
            Assert.Equal(summaries[0]["models"]![model]![measure]!["mean"]!.GetValue<double>(), summaries[1]["models"]![model]![measure]!["mean"]!.GetValue<double>(), 1e-5);
        }
        // The local model gives token vectors for BERTScore; the served one cannot, which the summary says instead of failing.
        Assert.NotNull(summaries[0]["models"]!["base"]!["bertscore_f1"]);
        Assert.Null(summaries[1]["models"]!["base"]!["bertscore_f1"]);
        Assert.StartsWith("skipped: the embedder ", summaries[1]["bertscore"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("gives no token vectors (a served embedder returns pooled vectors only)", summaries[1]["bertscore"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pluralism_measure_sends_the_api_key_to_a_served_embedder()
    {
        await using var server = await ModelServer.StartAsync(
            new ServerOptions { Model = models.Spm, Port = 0, ServedModelName = "spm", Threads = 1, ApiKey = "sesame" }, TestContext.Current.CancellationToken);
        var reference = _dir.Write("ref.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"The sky is blue.\"}]}\n");
        var alternative = _dir.Write("alt.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"Green.\"}]}\n");
        // A variable of this test's own, so no other test sees it.
        var variable = "ALIGNLAB_TEST_KEY_" + Guid.NewGuid().ToString("N");
        string[] Args(string output) => ["pluralism", "measure", "--ref", reference, "--alt", alternative, "--out", _dir.File(output), "--embedder", server.ModelReference, "--api-key-env", variable];

        var (code, _, stderr) = await CliRunner.RunAsync(Args("without-key"));
        Assert.NotEqual(0, code);
        Assert.Contains("401", stderr, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable(variable, "sesame");
        try
        {
            (code, _, stderr) = await CliRunner.RunAsync(Args("with-key"));
            Assert.True(code == 0, stderr);
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.File("with-key"), "summary.json")))!;
            Assert.NotNull(summary["models"]!["alt"]!["similarity_to_reference"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
