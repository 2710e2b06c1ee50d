using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Server;

/// <summary>Bad requests get 4xx with OpenAI's {"error": {"message", "type", "param", "code"}}.</summary>
public sealed class ErrorTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private static void AssertError(JsonElement body, string? param, string messagePart)
    {
        var error = body.GetProperty("error");
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("code", out _));
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }

    [Theory]
    [InlineData("""{"prompt": "hi", "max_tokens": 2""", null, "not valid JSON (line 1")]
    [InlineData("""[1, 2]""", null, "must be a JSON object, not a list")]
    [InlineData("""{"prompt": "hi", "max_tokens": "ten"}""", "max_tokens", "max_tokens must be an integer, not a string")]
    [InlineData("""{"prompt": "hi", "temperature": -1}""", "temperature", "temperature is -1")]
    [InlineData("""{"prompt": "hi", "top_p": 0}""", "top_p", "top_p is 0")]
    [InlineData("""{"prompt": "hi", "stop": [1]}""", "stop[0]", "stop[0] must be a string, not a number")]
    [InlineData("""{"prompt": [1, "a"]}""", "prompt", "prompt[1] must be an integer, not a string")]
    [InlineData("""{"prompt": [99999999]}""", "prompt", "prompt[0] is 99999999, not within 0 to 31999")]
    [InlineData("""{"prompt": []}""", "prompt", "prompt is an empty list")]
    [InlineData("""{"max_tokens": 2}""", "prompt", "prompt is required")]
    [InlineData("""{"prompt": "hi", "max_tokens": 0}""", "max_tokens", "max_tokens is 0")]
    [InlineData("""{"prompt": "hi", "max_tokens": 1000}""", "max_tokens", "maximum context length is 256 tokens")]
    [InlineData("""{"prompt": "hi", "logprobs": 21}""", "logprobs", "logprobs is 21, it must be within 0 to 20")]
    [InlineData("""{"prompt": "hi", "prompt_logprobs": 1, "stream": true}""", "prompt_logprobs", "not available when stream is true")]
    [InlineData("""{"prompt": "hi", "response_format": {"type": "yaml"}}""", "response_format.type", "must be text, json_object or json_schema")]
    public async Task Bad_completion_requests_are_400_naming_the_field(string json, string? param, string message)
    {
        var (status, body) = await served.PostAsync("/v1/completions", json);
        Assert.Equal(400, status);
        AssertError(body, param, message);
    }

    [Theory]
    [InlineData("""{"messages": []}""", "messages", "messages is an empty list")]
    [InlineData("""{"messages": [{"content": "hi"}]}""", "messages[0].role", "messages[0].role is required")]
    [InlineData("""{"messages": [{"role": "user", "content": 5}]}""", "messages[0].content", "must be a string or a list of text parts, not a number")]
    [InlineData("""{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}""", "messages[0].content[0].type", "only text parts are supported")]
    [InlineData("""{"messages": [{"role": "user", "content": "hi"}], "top_logprobs": 2}""", "top_logprobs", "top_logprobs needs logprobs: true")]
    [InlineData("""{"messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": 500}""", "max_completion_tokens", "maximum context length")]
    public async Task Bad_chat_requests_are_400_naming_the_field(string json, string param, string message)
    {
        var (status, body) = await served.PostAsync("/v1/chat/completions", json);
        Assert.Equal(400, status);
        AssertError(body, param, message);
    }

    [Fact]
    public async Task An_unknown_model_is_404_and_an_unknown_path_too()
    {
        var (status, body) = await served.PostAsync("/v1/completions", """{"model": "gpt-4", "prompt": "hi"}""");
        Assert.Equal(404, status);
        AssertError(body, "model", "The model `gpt-4` does not exist");
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
        (status, body) = await served.PostAsync("/v1/audio/speech", """{"input": "hi"}""");
        Assert.Equal(404, status);
        AssertError(body, null, "no such endpoint: POST /v1/audio/speech");
    }
}

/// <summary>The API key, the body limit and the queue limit of a server started with them.</summary>
public sealed class LimitTests(LimitedFixture served) : IClassFixture<LimitedFixture>
{
    [Fact]
    public async Task Embeddings_need_the_key_and_keep_to_the_body_limit_and_the_context()
    {
        var (status, _) = await served.PostAsync("/v1/embeddings", """{"input": "hi"}""");
        Assert.Equal(401, status);
        (status, var body) = await served.PostAsync("/v1/embeddings", """{"input": "hi"}""", LimitedFixture.Key);
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("data").GetArrayLength());
        (status, body) = await served.PostAsync("/v1/embeddings", System.Text.Json.JsonSerializer.Serialize(new { input = new string('a', 5000) }), LimitedFixture.Key);
        Assert.Equal(413, status);
        Assert.Equal("request_too_large", body.GetProperty("error").GetProperty("code").GetString());
        (status, body) = await served.PostAsync("/v1/embeddings", System.Text.Json.JsonSerializer.Serialize(new { input = string.Join(' ', Enumerable.Repeat("word", 200)) }), LimitedFixture.Key);
        Assert.Equal(400, status);
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_the_bearer_key_requests_are_401_but_health_answers()
    {
        var (status, body) = await served.PostAsync("/v1/completions", """{"prompt": "hi", "max_tokens": 1}""");
        Assert.Equal(401, status);
        Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());
        (status, _) = await served.PostAsync("/v1/completions", """{"prompt": "hi", "max_tokens": 1}""", "wrong");
        Assert.Equal(401, status);
        (status, _) = await served.GetAsync("/v1/models");
        Assert.Equal(401, status);
        (status, _) = await served.GetAsync("/health");
        Assert.Equal(200, status);
        (status, body) = await served.PostAsync("/v1/completions", """{"prompt": "hi", "max_tokens": 1, "temperature": 0}""", LimitedFixture.Key);
        Assert.Equal(200, status);
        Assert.Equal(64, (await served.ServerAsync()).ContextSize);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_more_sequences_than_the_queue_holds_503()
    {
        var big = new string('a', 5000);
        var (status, body) = await served.PostAsync("/v1/completions", $$"""{"prompt": "{{big}}"}""", LimitedFixture.Key);
        Assert.Equal(413, status);
        Assert.Contains("exceeds the server's limit of 4096 bytes", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // Two choices need two places in a queue of one: refused at once, with Retry-After.
        await served.ServerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent("""{"prompt": "hi", "max_tokens": 1, "n": 2}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LimitedFixture.Key);
        using var response = await served.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, (await served.ServerAsync()).Stats.Rejected);
    }
}
