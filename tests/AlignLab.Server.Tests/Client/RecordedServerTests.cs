using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Tests.Support;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Client;

/// <summary>The client against answers in vLLM's and OpenAI's documented formats (Fixtures/), served by a fake handler.</summary>
public sealed class RecordedServerTests
{
    private const string Vllm = "http://gpu-box:8000/v1#Qwen/Qwen2.5-7B";
    private static readonly int[] Prompt = [785, 3974, 13876, 38835]; // "The quick brown fox" in Qwen2's vocabulary

    private static RecordedServer VllmServer() => new RecordedServer()
        .On("GET", "/v1/models", Reply.File("vllm/models.json"))
        .On("POST", "/v1/completions", body => body!.Value.TryGetProperty("stream", out _) ? Reply.Events("vllm/generate.sse") : Reply.File("vllm/prompt-logprobs.json"))
        .On("POST", "/tokenize", body => body!.Value.TryGetProperty("messages", out _) ? Reply.File("vllm/tokenize-chat.json")
            : body.Value.GetProperty("prompt").GetString() == "" ? Reply.File("vllm/tokenize-empty.json")
            : Reply.File("vllm/tokenize.json"))
        .On("POST", "/detokenize", Reply.File("vllm/detokenize.json"));

    private static RemoteModelOptions Through(RecordedServer server) => new() { Handler = server, RetryDelay = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public void Vllm_prompt_logprobs_with_their_leading_null_give_scores_and_exact_ranks()
    {
        var server = VllmServer();
        using var model = LanguageModels.Open(Vllm, remote: Through(server));
        Assert.Equal(32768, model.ContextLength);
        var scores = model.Score(Prompt, 0, new ScoreRequest { TopK = 2 });
        Assert.Equal((0, 3), (scores.Start, scores.End));
        Assert.Equal((3974, -7.25f, 14), (scores.NextToken(0), scores.NextLogProb(0), scores.NextRank(0)));
        Assert.Equal([1156, 1850], scores.TopIds(0).ToArray());
        Assert.Equal([-1.5f, -2.0f], scores.TopLogProbs(0).ToArray());
        Assert.Equal((13876, -0.5f, 1), (scores.NextToken(1), scores.NextLogProb(1), scores.NextRank(1)));
        Assert.Equal([13876, 2518], scores.TopIds(1).ToArray());
        Assert.Equal((38835, -3.5f, 4), (scores.NextToken(2), scores.NextLogProb(2), scores.NextRank(2)));
        Assert.Equal([5562, 8251], scores.TopIds(2).ToArray());
        Assert.Null(scores.Entropy(1));
        var (route, body) = Assert.Single(server.Requests, r => r.Route == "POST /v1/completions");
        Assert.Equal(Prompt, body!.Value.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, body.Value.GetProperty("prompt_logprobs").GetInt32());
        Assert.Equal("Qwen/Qwen2.5-7B", body.Value.GetProperty("model").GetString());
    }

    [Fact]
    public void A_streamed_vllm_generation_gives_the_ids_without_the_end_of_turn_token()
    {
        var server = VllmServer();
        using var model = LanguageModels.Open(Vllm, remote: Through(server));
        var answer = model.GenerateGreedy(Prompt, 10, TestContext.Current.CancellationToken);
        Assert.Equal([21927, 1879], answer.Tokens);
        Assert.Equal(AnswerEnd.EndOfTurn, answer.End);
        var body = server.Requests.Single(r => r.Route == "POST /v1/completions").Body!.Value;
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("return_tokens_as_token_ids").GetBoolean());
        Assert.Equal(0, body.GetProperty("temperature").GetInt32());
        Assert.Equal(10, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Vllm_tokenize_serves_prompts_and_chats_but_not_the_vocabulary()
    {
        using var model = LanguageModels.Open(Vllm, remote: Through(VllmServer()));
        Assert.Equal(Prompt, model.EncodePrompt("The quick brown fox"));
        Assert.Equal([151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198], model.ChatPrompt("Hi", null));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", model.RenderChat("Hi", null));
        var e = Assert.Throws<RemoteModelException>(() => model.Tokenizer.VocabSize);
        Assert.Contains("does not list its vocabulary", e.Message, StringComparison.Ordinal);
        Assert.Contains("--tokenizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Openai_echo_logprobs_are_the_fallback_with_ranks_known_within_the_top_list()
    {
        var vocab = SharedFixtures.Require("fixtures/vocab/ggml-vocab-qwen2.gguf");
        var server = new RecordedServer()
            .On("GET", "/v1/models", Reply.File("openai/models.json"))
            .On("POST", "/v1/completions", body => body!.Value.TryGetProperty("prompt_logprobs", out _)
                ? Reply.File("openai/unknown-argument.json", 400)
                : Reply.File("openai/echo-logprobs.json"));
        using var model = LanguageModels.Open("https://api.example.com/v1#davinci-002", remote: Through(server) with { Tokenizer = vocab });
        int[] prompt = [785, 3974, 13876];
        var scores = model.Score(prompt, 0, new ScoreRequest { TopK = 2 });
        Assert.Equal((-7.25f, 3), (scores.NextLogProb(0), scores.NextRank(0))); // " quick" is not in the top 2: one past them
        Assert.Equal([1156, 1850], scores.TopIds(0).ToArray());
        Assert.Equal((-0.5f, 1), (scores.NextLogProb(1), scores.NextRank(1)));
        Assert.Equal([13876, 2518], scores.TopIds(1).ToArray());
        model.Score(prompt, 1, new ScoreRequest { TopK = 2 });
        Assert.Equal(3, server.Requests.Count(r => r.Route == "POST /v1/completions")); // the method is found once
        Assert.True(server.Requests.Last().Body!.Value.GetProperty("echo").GetBoolean());
    }

    [Fact]
    public void A_server_that_cannot_score_says_it_can_generate_but_not_be_scored()
    {
        var server = new RecordedServer()
            .On("GET", "/v1/models", Reply.Json(200, """{"object": "list", "data": [{"id": "gpt-4o", "object": "model"}]}"""))
            .On("POST", "/v1/completions", Reply.File("openai/not-found.json", 404));
        using var model = LanguageModels.Open("https://api.example.com/v1#gpt-4o", remote: Through(server));
        Assert.Equal(int.MaxValue, model.ContextLength);
        var e = Assert.Throws<RemoteModelException>(() => model.Score(Prompt, 0, new ScoreRequest()));
        Assert.Contains("can generate but not be scored", e.Message, StringComparison.Ordinal);
        Assert.Contains("This is a chat model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_answers_are_refused_naming_the_field()
    {
        var broken = RecordedServer.Fixture("vllm/prompt-logprobs.json").Replace("\"logprob\":-7.25", "\"logprob\":\"-7.25\"", StringComparison.Ordinal);
        var calls = 0;
        var server = VllmServer().On("POST", "/v1/completions", _ => calls++ == 0 ? Reply.File("vllm/prompt-logprobs.json") : Reply.Json(200, broken));
        using var model = LanguageModels.Open(Vllm, remote: Through(server));
        model.Score(Prompt, 0, new ScoreRequest { TopK = 2 });
        var e = Assert.Throws<RemoteModelException>(() => model.Score(Prompt, 0, new ScoreRequest { TopK = 2 }));
        Assert.Equal("http://gpu-box:8000/v1/completions: choices[0].prompt_logprobs[1].3974.logprob is a string, expected a log-probability (a number ≤ 0)", e.Message);

        var notJson = VllmServer().On("GET", "/v1/models", Reply.Json(200, "{\"object\": \"list\", \"data\": ["));
        e = Assert.Throws<RemoteModelException>(() => LanguageModels.Open(Vllm, remote: Through(notJson)));
        Assert.Contains("/v1/models: the answer is not valid JSON", e.Message, StringComparison.Ordinal);

        var huge = VllmServer().On("GET", "/v1/models", Reply.Json(200, "{\"object\": \"list\", \"data\": [], \"pad\": \"" + new string('x', 4000) + "\"}"));
        e = Assert.Throws<RemoteModelException>(() => LanguageModels.Open(Vllm, remote: Through(huge) with { MaxResponseBytes = 1024 }));
        Assert.Contains("the answer exceeds the limit of 1024 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Busy_and_failing_servers_are_retried_with_backoff_then_reported()
    {
        var attempts = 0;
        var flaky = VllmServer().On("GET", "/v1/models", _ => ++attempts switch
        {
            1 => Reply.Json(503, """{"error": {"message": "busy"}}"""),
            2 => new Reply(429, "{}", "application/json", TimeSpan.FromMilliseconds(1)),
            _ => Reply.File("vllm/models.json"),
        });
        using (LanguageModels.Open(Vllm, remote: Through(flaky)))
        {
            Assert.Equal(3, attempts);
        }
        var down = VllmServer().On("GET", "/v1/models", Reply.Json(500, """{"error": {"message": "the engine died"}}"""));
        var e = Assert.Throws<RemoteModelException>(() => LanguageModels.Open(Vllm, remote: Through(down) with { MaxRetries = 2 }));
        Assert.Equal("http://gpu-box:8000/v1/models: HTTP 500 (InternalServerError): the engine died", e.Message);
        Assert.Equal(3, down.Requests.Count);
        var refused = VllmServer().On("GET", "/v1/models", Reply.Json(401, """{"error": {"message": "bad key"}}"""));
        e = Assert.Throws<RemoteModelException>(() => LanguageModels.Open(Vllm, remote: Through(refused)));
        Assert.Equal(401, e.Status);
        Assert.Single(refused.Requests); // a 4xx other than 429 is not retried
    }

    [Fact]
    public void An_attempt_past_the_timeout_is_abandoned()
    {
        var slow = new RecordedServer { Delay = TimeSpan.FromMinutes(5) }.On("GET", "/v1/models", Reply.File("vllm/models.json"));
        var e = Assert.Throws<RemoteModelException>(() => LanguageModels.Open(Vllm, remote: Through(slow) with { Timeout = TimeSpan.FromMilliseconds(100), MaxRetries = 1 }));
        Assert.Contains("no answer within 0.1 s", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, slow.Requests.Count);
    }

    [Fact]
    public async Task No_more_requests_are_in_flight_than_the_concurrency_limit()
    {
        var server = new RecordedServer { Delay = TimeSpan.FromMilliseconds(30) }.On("GET", "/v1/models", Reply.File("vllm/models.json"));
        using var http = new OpenAiHttp(new Uri("http://gpu-box:8000/v1"), Through(server) with { Concurrency = 2 });
        var models = new Uri(http.ApiBase, "models");
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => http.GetAsync(models, TestContext.Current.CancellationToken)));
        Assert.Equal(6, server.Requests.Count);
        Assert.InRange(server.MostInFlight, 1, 2);
        Assert.Equal(new Uri("http://gpu-box:8000/"), http.Root);
    }
}
