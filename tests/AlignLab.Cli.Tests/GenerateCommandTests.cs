using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Models;

namespace AlignLab.Cli.Tests;

public class GenerateCommandTests(ModelFiles models) : IClassFixture<ModelFiles>
{
    private static readonly string[] TokenKeys = ["index", "id", "token", "text", "logprob", "rank", "top"];
    private static readonly string[] SummaryKeys = ["end", "prompt_tokens", "generated_tokens", "text", "prefill_seconds", "decode_seconds", "tokens_per_second"];

    private static List<JsonElement> Lines(string stdout)
        => [.. stdout.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement)];

    private async Task<(List<JsonElement> Tokens, JsonElement Summary)> Json(params string[] args)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync(["generate", models.Spm, "--json", .. args]);
        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        return (lines[..^1], lines[^1]);
    }

    [Fact]
    public async Task Json_prints_one_line_per_token_in_the_documented_shape_then_a_summary()
    {
        var (tokens, summary) = await Json("--prompt", "Once upon a time", "--max-tokens", "8");
        Assert.Equal(SummaryKeys, summary.EnumerateObject().Select(p => p.Name));
        Assert.Contains(summary.GetProperty("end").GetString(), new[] { "max_tokens", "stop_token" });
        Assert.Equal(tokens.Count, summary.GetProperty("generated_tokens").GetInt32());
        Assert.InRange(tokens.Count, 1, 8);
        // BOS (the tokenizer adds one) + the text's tokens.
        Assert.Equal(1 + 4, summary.GetProperty("prompt_tokens").GetInt32());
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            Assert.Equal(TokenKeys, t.EnumerateObject().Select(p => p.Name));
            Assert.Equal(i, t.GetProperty("index").GetInt32());
            Assert.Equal(1, t.GetProperty("rank").GetInt32()); // greedy by default
            var top = t.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(5, top.Count);
            Assert.Equal(t.GetProperty("id").GetInt32(), top[0][0].GetInt32());
            Assert.Equal(t.GetProperty("logprob").GetSingle(), top[0][1].GetSingle());
            Assert.True(top.Zip(top.Skip(1)).All(p => p.First[1].GetSingle() >= p.Second[1].GetSingle()));
        }
        Assert.Equal(summary.GetProperty("text").GetString(), string.Concat(tokens.Select(t => t.GetProperty("text").GetString())));
    }

    [Fact]
    public async Task Plain_output_streams_the_same_text_and_logs_a_summary_to_stderr()
    {
        var (_, summary) = await Json("--prompt", "The weather", "--max-tokens", "12", "--top-logprobs", "0");
        var (code, stdout, stderr) = await CliRunner.RunAsync("generate", models.Spm, "--prompt", "The weather", "--max-tokens", "12", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal(summary.GetProperty("text").GetString() + "\n", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"[{summary.GetProperty("end").GetString()}: 3 prompt tokens", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_string_across_tokens_cuts_the_output()
    {
        var (tokens, summary) = await Json("--prompt", "Hello", "--max-tokens", "16");
        var texts = tokens.Select(t => t.GetProperty("text").GetString()!).ToList();
        Assert.True(texts[3].Length >= 2 && texts[4].Length >= 1, string.Join("|", texts));
        // From the second character of token 3 into token 4.
        var stop = string.Concat(texts.Skip(3).Take(2))[1..(texts[3].Length + 1)];
        var full = summary.GetProperty("text").GetString()!;
        var (cutTokens, cut) = await Json("--prompt", "Hello", "--max-tokens", "16", "--stop", "never-there", "--stop", stop);
        Assert.Equal("stop_string", cut.GetProperty("end").GetString());
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut.GetProperty("text").GetString());
        Assert.DoesNotContain(stop, string.Concat(cutTokens.Select(t => t.GetProperty("text").GetString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_renders_the_template_with_one_bos()
    {
        var (_, summary) = await Json("--chat", "--system", "Be brief.", "--prompt", "Hi", "--max-tokens", "1");
        using var local = LocalModel.Open(models.Spm);
        var ids = Prompts.Chat(local, local.LoadTokenizer(), "Hi", "Be brief.");
        Assert.Equal(ids.Length, summary.GetProperty("prompt_tokens").GetInt32());
        Assert.Single(ids, id => id == 1);
        Assert.Equal("<s><<SYS>>Be brief.<</SYS>>[INST] Hi [/INST]", Prompts.RenderChat(local, "Hi", "Be brief."));
    }

    [Fact]
    public async Task Seeded_sampling_repeats_and_differs_across_seeds()
    {
        async Task<string> Ids(string seed)
        {
            var (tokens, _) = await Json("--prompt", "Hello", "--max-tokens", "16", "--temperature", "3", "--top-p", "0.95", "--seed", seed);
            return string.Join(",", tokens.Select(t => t.GetProperty("id").GetInt32()));
        }
        var a = await Ids("3");
        Assert.Equal(a, await Ids("3"));
        Assert.NotEqual(a, await Ids("4"));
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_one_line()
    {
        var prompt = string.Concat(Enumerable.Repeat("word ", 300));
        var (code, stdout, stderr) = await CliRunner.RunAsync("generate", models.Spm, "--prompt", prompt);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Matches("^error: the prompt has [0-9]+ tokens, more than the context of 256\n$", stderr);
    }

    [Fact]
    public async Task Chat_without_a_template_is_one_line()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("generate", models.SpmWithoutTemplate, "--chat", "--prompt", "Hi");
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("tokenizer.chat_template: missing", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--temperature", "-1")]
    [InlineData("--temperature", "NaN")]
    [InlineData("--top-p", "0")]
    [InlineData("--min-p", "2")]
    [InlineData("--top-k", "-3")]
    [InlineData("--repetition-penalty", "0")]
    [InlineData("--max-tokens", "0")]
    [InlineData("--system", "x")]
    [InlineData("--stop", "")]
    [InlineData("--threads", "-2")]
    public async Task Bad_options_are_one_line_usage_errors(string option, string value)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("generate", models.Synthetic, "--prompt", "x", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: generate: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_prompt_is_a_usage_error()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("generate", models.Synthetic);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }
}
