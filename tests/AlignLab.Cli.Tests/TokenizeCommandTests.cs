using AlignLab.Engine.Tests.Support;
using System.Text.Json;

namespace AlignLab.Cli.Tests;

public class TokenizeCommandTests
{
    [Theory]
    [InlineData("qwen2")]
    [InlineData("llama-spm")]
    public async Task Text_prints_the_golden_ids_of_a_gguf_vocabulary(string vocab)
    {
        var model = SharedFixtures.Require($"fixtures/vocab/ggml-vocab-{vocab}.gguf");
        foreach (var (text, ids) in TokenizeFixtures.Golden($"{vocab}.llama.json").Take(12))
        {
            var (code, stdout, stderr) = await CliRunner.RunAsync("tokenize", model, "--text", text);
            Assert.True(code == 0, stderr);
            Assert.Equal(JsonSerializer.Serialize(ids) + "\n", stdout);
        }
    }

    [Fact]
    public async Task Cases_prints_one_array_of_id_arrays_for_a_tokenizer_folder()
    {
        var model = SharedFixtures.Require("fixtures/tokenizers/smollm2");
        var golden = TokenizeFixtures.Golden("smollm2.hf.json");
        var casesFile = Path.Combine(Path.GetTempPath(), $"alignlab-cases-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(casesFile, JsonSerializer.Serialize(golden.Select(g => g.Text)), TestContext.Current.CancellationToken);
        try
        {
            var (code, stdout, stderr) = await CliRunner.RunAsync("tokenize", model, "--cases", casesFile);
            Assert.True(code == 0, stderr);
            Assert.Single(stdout.TrimEnd('\n').Split('\n'));
            Assert.Equal(JsonSerializer.Serialize(golden.Select(g => g.Ids)) + "\n", stdout);
        }
        finally
        {
            File.Delete(casesFile);
        }
    }

    [Fact]
    public async Task Add_bos_and_no_special_change_the_ids()
    {
        var model = SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-bpe.gguf");
        var (_, withBos, _) = await CliRunner.RunAsync("tokenize", model, "--text", "Hi", "--add-bos");
        Assert.StartsWith("[128000,", withBos, StringComparison.Ordinal);
        var (_, special, _) = await CliRunner.RunAsync("tokenize", model, "--text", "<|eot_id|>");
        Assert.Equal("[128009]\n", special);
        var (_, plain, _) = await CliRunner.RunAsync("tokenize", model, "--text", "<|eot_id|>", "--no-special");
        Assert.DoesNotContain("128009", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_and_cases_together_is_a_usage_error()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("tokenize", "model.gguf", "--text", "a", "--cases", "b.json");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("exactly one of --text and --cases", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_model_names_what_was_tried()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("tokenize", "/no/such/model", "--text", "a");
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("model \"/no/such/model\": not a file, not a folder, not an http(s)://HOST:PORT/v1#MODEL endpoint, not a hub id", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_json_in_cases_names_the_file_and_position()
    {
        var model = SharedFixtures.Require("fixtures/tokenizers/smollm2");
        var casesFile = Path.Combine(Path.GetTempPath(), $"alignlab-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(casesFile, "[\"a\",\n  \"b\" oops]", TestContext.Current.CancellationToken);
        try
        {
            var (code, _, stderr) = await CliRunner.RunAsync("tokenize", model, "--cases", casesFile);
            Assert.Equal(1, code);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
            Assert.Contains($"{casesFile}: invalid JSON at line 2, byte 7", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(casesFile);
        }
    }
}
