using System.Text.Json;
using AlignLab.Backends;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public sealed class EmbedCommandTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Texts() => _dir.Write("texts.jsonl", "{\"text\": \"The sky is blue.\"}\n{\"text\": \"Hello there\", \"id\": 4}\n");

    [Fact]
    public async Task Each_text_gets_its_mean_pooled_hidden_state_normalised_to_unit_length()
    {
        var output = _dir.File("vectors.jsonl");
        var (code, stdout, stderr) = await CliRunner.RunAsync("embed", models.Spm, "--texts", Texts(), "--layer", "1", "--out", output, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal(output + "\n", stdout);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([0, 1], lines.Select(l => l.GetProperty("index").GetInt32()));

        // Recomputed from the engine's per-position hidden states: mean of the rows, divided by its length.
        using var local = LocalModel.Open(models.Spm);
        using var engine = LlamaModel.Load(local);
        using var session = engine.CreateSession(new SessionOptions { ContextSize = 64 });
        using var research = LocalLanguageModel.Open(models.Spm);
        string[] texts = ["The sky is blue.", "Hello there"];
        var hidden = engine.Config.HiddenSize;
        for (var t = 0; t < texts.Length; t++)
        {
            var tokens = research.EncodePrompt(texts[t]).ToArray();
            var states = session.HiddenStates(tokens, 1);
            var mean = Enumerable.Range(0, hidden).Select(i => Enumerable.Range(0, tokens.Length).Average(p => (double)states[p * hidden + i])).ToArray();
            var length = Math.Sqrt(mean.Sum(v => v * v));
            var actual = lines[t].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(hidden, actual.Length);
            Assert.Equal(1.0, Math.Sqrt(actual.Sum(v => v * v)), 1e-5);
            for (var i = 0; i < hidden; i++)
            {
                Assert.Equal(mean[i] / length, actual[i], 1e-5);
            }
        }
    }

    [Theory]
    [InlineData("error: embed: --layer: layer 3 is not within 0 (the embeddings) to the 2 layers of {0}", "--layer", "3")]
    [InlineData("error: embed: --layer: layer -1 is not within 0 (the embeddings) to the 2 layers of {0}", "--layer", "-1")]
    [InlineData("error: embed: --pooling 'max': expected mean or last", "--pooling", "max")]
    public async Task Bad_options_are_usage_errors(string expected, params string[] option)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(["embed", models.Spm, "--texts", Texts(), .. option]);
        Assert.Equal(2, code);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, models.Spm) + "\n", stderr);
    }

    [Fact]
    public async Task A_record_without_text_is_an_error_naming_its_line()
    {
        var texts = _dir.Write("bad.jsonl", "{\"text\": \"ok\"}\n{\"txt\": \"no\"}\n");
        var (code, _, stderr) = await CliRunner.RunAsync("embed", models.Spm, "--texts", texts);
        Assert.Equal(1, code);
        Assert.Equal($"error: {texts}:2: expected a record {{\"text\": string}}\n", stderr);
    }
}
