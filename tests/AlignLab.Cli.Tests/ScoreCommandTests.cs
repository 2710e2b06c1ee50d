using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Cli.Tests;

public class ScoreCommandTests(ModelFiles models) : IClassFixture<ModelFiles>
{
    private static List<JsonElement> Lines(string stdout)
        => [.. stdout.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement)];

    private static void OneErrorLine(int code, string stdout, string stderr, int expectedCode, string expected)
    {
        Assert.Equal(expectedCode, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_give_one_line_per_id_whose_rank_agrees_with_the_top_list()
    {
        int[] ids = [5, 17, 3, 88, 0, 42, 42, 7];
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", string.Join(',', ids), "--top-k", "96");
        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.Equal(ids.Length, lines.Count);
        using var model = LlamaModel.Load(models.Synthetic);
        var expected = model.Score(ids, 0, new ScoreOptions { TopK = 3 });
        for (var i = 0; i < ids.Length; i++)
        {
            var line = lines[i];
            Assert.Equal(["pos", "id", "next", "next_logprob", "next_rank", "top"], line.EnumerateObject().Select(p => p.Name));
            Assert.Equal(i, line.GetProperty("pos").GetInt32());
            Assert.Equal(ids[i], line.GetProperty("id").GetInt32());
            var top = line.GetProperty("top").EnumerateArray().Select(e => (Id: e[0].GetInt32(), LogProb: e[1].GetSingle())).ToList();
            Assert.Equal(96, top.Count);
            Assert.Equal(expected.TopIds(i).ToArray(), top.Take(3).Select(t => t.Id));
            if (i + 1 < ids.Length)
            {
                Assert.Equal(ids[i + 1], line.GetProperty("next").GetInt32());
                var logProb = line.GetProperty("next_logprob").GetSingle();
                var rank = line.GetProperty("next_rank").GetInt32();
                Assert.Equal(top.Single(t => t.Id == ids[i + 1]).LogProb, logProb);
                Assert.Equal(1 + top.Count(t => t.LogProb > logProb), rank);
                Assert.Equal(expected.NextRank(i), rank);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, line.GetProperty("next").ValueKind);
                Assert.Equal(JsonValueKind.Null, line.GetProperty("next_logprob").ValueKind);
                Assert.Equal(JsonValueKind.Null, line.GetProperty("next_rank").ValueKind);
            }
        }
    }

    [Fact]
    public async Task A_short_top_list_holds_the_next_token_exactly_when_its_rank_is_within_it()
    {
        var ids = Enumerable.Range(0, 40).Select(i => (i * 37) % 96).ToArray();
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", $"[{string.Join(", ", ids)}]", "--top-k", "3");
        Assert.True(code == 0, stderr);
        foreach (var line in Lines(stdout).SkipLast(1))
        {
            var top = line.GetProperty("top").EnumerateArray().Select(e => e[0].GetInt32()).ToList();
            var rank = line.GetProperty("next_rank").GetInt32();
            var next = line.GetProperty("next").GetInt32();
            Assert.Equal(rank <= 3, top.Contains(next));
            if (rank <= 3)
            {
                Assert.Equal(next, top[rank - 1]);
            }
        }
    }

    [Fact]
    public async Task Top_k_zero_lists_nothing_but_still_ranks_the_next_token()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", "4,8,15", "--top-k", "0");
        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.All(lines, l => Assert.Equal(0, l.GetProperty("top").GetArrayLength()));
        Assert.InRange(lines[0].GetProperty("next_rank").GetInt32(), 1, 96);
    }

    [Fact]
    public async Task Text_is_tokenized_with_special_tokens_parsed_and_bos_only_when_asked()
    {
        var tokenizer = TokenizerLoader.FromGguf(Engine.Formats.Gguf.GgufFile.Open(ModelFiles.SpmVocab));
        var expected = tokenizer.Encode("Hello world</s>", EncodeOptions.Default);
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Spm, "--text", "Hello world</s>");
        Assert.True(code == 0, stderr);
        Assert.Equal(expected, Lines(stdout).Select(l => l.GetProperty("id").GetInt32()));
        Assert.Equal(2, expected[^1]); // </s> parsed as the special token
        var (_, withBos, _) = await CliRunner.RunAsync("score", models.Spm, "--text", "Hello world</s>", "--add-bos", "--threads", "1");
        Assert.Equal([1, .. expected], Lines(withBos).Select(l => l.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Token_ids_outside_the_vocabulary_are_one_line()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", "1,99999999");
        OneErrorLine(code, stdout, stderr, 1, "error: token id 99999999 at index 1 is outside the vocabulary of 96\n");
    }

    [Theory]
    [InlineData("1,x")]
    [InlineData("1,,2")]
    [InlineData("")]
    [InlineData("1 2")]
    [InlineData("99999999999")]
    public async Task Malformed_ids_are_a_usage_error(string ids)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", ids);
        OneErrorLine(code, stdout, stderr, 2, "--ids:");
    }

    [Fact]
    public async Task A_sequence_longer_than_the_context_is_one_line()
    {
        var ids = string.Join(',', Enumerable.Repeat(3, 129));
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", ids);
        OneErrorLine(code, stdout, stderr, 1, "error: 129 tokens exceed the model's context length of 128\n");
    }

    [Fact]
    public async Task Nan_in_the_activations_is_one_line()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.WithNaN(), "--ids", "1,2,3");
        OneErrorLine(code, stdout, stderr, 1, "error: NaN or infinity in the activations after layer 1 (feed-forward) at position 0\n");
    }

    [Fact]
    public async Task An_unsupported_architecture_is_one_line()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.UnsupportedArchitecture(), "--ids", "0,1");
        OneErrorLine(code, stdout, stderr, 1, "general.architecture: unsupported architecture \"gpt2\"");
    }

    [Theory]
    [InlineData("--text", "a", "--ids", "1")]
    [InlineData("--top-k", "3")]
    [InlineData("--ids", "1,2", "--add-bos")]
    [InlineData("--ids", "1,2", "--threads", "0")]
    [InlineData("--ids", "1,2", "--top-k", "-1")]
    public async Task Bad_combinations_are_usage_errors(params string[] args)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync(["score", models.Synthetic, .. args]);
        OneErrorLine(code, stdout, stderr, 2, "error: ");
    }

    [Fact]
    public async Task Top_k_beyond_the_vocabulary_is_one_line()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("score", models.Synthetic, "--ids", "1,2", "--top-k", "97");
        OneErrorLine(code, stdout, stderr, 1, "error: top-k 97 is not within 0 to the vocabulary size 96\n");
    }
}
