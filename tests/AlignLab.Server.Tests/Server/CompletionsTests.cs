using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Server;

/// <summary>POST /v1/completions over real HTTP, each answer recomputed with the engine directly.</summary>
public sealed class CompletionsTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private static readonly int[] Prompt = [450, 4996, 17354, 1701, 29916];

    private static string Json(object value) => JsonSerializer.Serialize(value);

    [Fact]
    public async Task Token_id_prompts_are_used_as_given_and_greedy_text_is_the_engine_generation()
    {
        var (status, body) = await served.PostAsync("/v1/completions",
            $$"""{"model": "base", "prompt": {{Json(Prompt)}}, "max_tokens": 6, "temperature": 0, "logprobs": 3, "return_tokens_as_token_ids": true}""");
        Assert.Equal(200, status);
        var expected = served.Generate(Prompt, 6, topLogProbs: 3);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("base", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("created").GetInt64() > 1_600_000_000);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(expected.Text, choice.GetProperty("text").GetString());
        var logprobs = choice.GetProperty("logprobs");
        Assert.Equal(expected.Tokens, logprobs.GetProperty("tokens").EnumerateArray().Select(Answers.LabelId));
        Assert.Equal(expected.Tokens.Count, logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), top => Assert.InRange(top.EnumerateObject().Count(), 3, 4));
        Assert.Equal(expected.EndReason is GenerationEndReason.StopToken or GenerationEndReason.StopString ? "stop" : "length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("prompt_logprobs").ValueKind);
        var usage = body.GetProperty("usage");
        Assert.Equal(Prompt.Length, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.Tokens.Count, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(Prompt.Length + expected.Tokens.Count, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Prompt_logprobs_have_vllm_shape_a_leading_null_and_always_the_prompt_token()
    {
        var (status, body) = await served.PostAsync("/v1/completions",
            $$"""{"prompt": {{Json(Prompt)}}, "max_tokens": 1, "temperature": 0, "prompt_logprobs": 2}""");
        Assert.Equal(200, status);
        var list = body.GetProperty("choices")[0].GetProperty("prompt_logprobs");
        Assert.Equal(Prompt.Length, list.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, list[0].ValueKind);
        var (files, model) = served.Engine();
        var tokenizer = files.LoadTokenizer();
        var expected = model.Score(Prompt, 0, new ScoreOptions { TopK = 2 }, threads: 1);
        for (var i = 1; i < Prompt.Length; i++)
        {
            var entry = list[i];
            var actual = entry.GetProperty(Prompt[i].ToString(CultureInfo.InvariantCulture));
            Assert.Equal(expected.NextLogProb(i - 1), actual.GetProperty("logprob").GetSingle(), 1e-5f);
            Assert.Equal(expected.NextRank(i - 1), actual.GetProperty("rank").GetInt32());
            Assert.Equal(tokenizer.DecodeToken(Prompt[i]), actual.GetProperty("decoded_token").GetString());
            var top = expected.TopIds(i - 1).ToArray();
            Assert.Equal(top.Contains(Prompt[i]) ? 2 : 3, entry.EnumerateObject().Count());
            for (var k = 0; k < top.Length; k++)
            {
                var candidate = entry.GetProperty(top[k].ToString(CultureInfo.InvariantCulture));
                Assert.Equal(expected.TopLogProbs(i - 1)[k], candidate.GetProperty("logprob").GetSingle(), 1e-5f);
                Assert.Equal(k + 1, candidate.GetProperty("rank").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Echo_with_logprobs_covers_the_prompt_first_and_max_tokens_zero_generates_nothing()
    {
        var (status, body) = await served.PostAsync("/v1/completions",
            $$"""{"prompt": {{Json(Prompt)}}, "max_tokens": 0, "echo": true, "logprobs": 1, "return_tokens_as_token_ids": true}""");
        Assert.Equal(200, status);
        var (files, model) = served.Engine();
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(files.LoadTokenizer().Decode(Prompt), choice.GetProperty("text").GetString());
        var logprobs = choice.GetProperty("logprobs");
        Assert.Equal(Prompt, logprobs.GetProperty("tokens").EnumerateArray().Select(Answers.LabelId));
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("token_logprobs")[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("top_logprobs")[0].ValueKind);
        var expected = model.Score(Prompt, 0, new ScoreOptions { TopK = 1 }, threads: 1);
        for (var i = 1; i < Prompt.Length; i++)
        {
            Assert.Equal(expected.NextLogProb(i - 1), logprobs.GetProperty("token_logprobs")[i].GetSingle(), 1e-5f);
        }
        Assert.Equal(0, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Text_prompts_get_bos_and_a_list_of_prompts_times_n_gives_seeded_choices_in_order()
    {
        var (status, body) = await served.PostAsync("/v1/completions",
            """{"prompt": ["Once upon a time", "The capital of France"], "n": 2, "max_tokens": 5, "temperature": 1, "seed": 7, "ignore_eos": true}""");
        Assert.Equal(200, status);
        var (files, model) = served.Engine();
        var tokenizer = files.LoadTokenizer();
        using var generator = new TextGenerator(model, tokenizer, [], new SessionOptions { Threads = 1 });
        var choices = body.GetProperty("choices");
        Assert.Equal(4, choices.GetArrayLength());
        string[] prompts = ["Once upon a time", "The capital of France"];
        for (var c = 0; c < 4; c++)
        {
            var ids = Prompts.Plain(tokenizer, prompts[c / 2]);
            Assert.Equal(tokenizer.BosId, ids[0]);
            var expected = generator.Generate(ids, new GenerationOptions { MaxTokens = 5, StopTokens = [], Sampling = new SamplingOptions { Temperature = 1, Seed = 7 + (ulong)(c % 2) } });
            Assert.Equal(c, choices[c].GetProperty("index").GetInt32());
            Assert.Equal(expected.Text, choices[c].GetProperty("text").GetString());
        }
        var promptTokens = prompts.Sum(p => Prompts.Plain(tokenizer, p).Length);
        Assert.Equal(promptTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(20, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stop_string_cuts_the_text_and_is_the_stop_reason()
    {
        var greedy = served.Generate(Prompt, 12);
        var stop = greedy.Text.Trim().Length >= 4 ? greedy.Text.Trim()[2..4] : null;
        Assert.SkipWhen(stop is null, "the fixture's greedy text is too short for a stop string");
        var (status, body) = await served.PostAsync("/v1/completions",
            $$"""{"prompt": {{Json(Prompt)}}, "max_tokens": 12, "temperature": 0, "stop": [{{Json(stop!)}}]}""");
        Assert.Equal(200, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(greedy.Text[..greedy.Text.IndexOf(stop!, StringComparison.Ordinal)], choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(stop, choice.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task A_stream_sends_the_same_text_in_chunks_then_usage_then_done()
    {
        var server = await served.ServerAsync();
        using var content = new StringContent($$"""{"prompt": {{Json(Prompt)}}, "max_tokens": 8, "temperature": 0, "stream": true, "stream_options": {"include_usage": true}, "echo": true}""");
        using var response = await served.Http.PostAsync(new Uri("/v1/completions", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var (events, done) = Answers.Events(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(done);
        var expected = served.Generate(Prompt, 8);
        var chunks = events.Where(e => e.GetProperty("choices").GetArrayLength() > 0).ToList();
        var text = string.Concat(chunks.Select(e => e.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(served.Engine().Files.LoadTokenizer().Decode(Prompt) + expected.Text, text);
        Assert.All(chunks.SkipLast(1), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
        Assert.NotEqual(JsonValueKind.Null, chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        Assert.All(events, e => Assert.Equal("text_completion", e.GetProperty("object").GetString()));
        Assert.Equal(expected.Tokens.Count, events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(server.Stats.TokensGenerated > 0);
    }
}
