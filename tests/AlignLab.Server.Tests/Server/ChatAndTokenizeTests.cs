using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Tokenizers;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Server;

/// <summary>POST /v1/chat/completions, /tokenize and /detokenize, GET /v1/models and /health.</summary>
public sealed class ChatAndTokenizeTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private const string Messages = """[{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "Tell me "}, {"type": "text", "text": "a story"}]}]""";

    private int[] ChatIds()
    {
        var files = served.Engine().Files;
        return Prompts.Chat(files, files.LoadTokenizer(), "Tell me a story", "Be brief.");
    }

    [Fact]
    public async Task Chat_renders_the_template_and_answers_what_the_engine_generates_with_logprobs()
    {
        var (status, body) = await served.PostAsync("/v1/chat/completions",
            $$"""{"model": "base", "messages": {{Messages}}, "max_completion_tokens": 7, "temperature": 0, "logprobs": true, "top_logprobs": 2, "response_format": {"type": "json_object"}, "some_unknown_field": [1, 2]}""");
        Assert.Equal(200, status);
        var prompt = ChatIds();
        var expected = served.Generate(prompt, 7, topLogProbs: 2);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(expected.Text, choice.GetProperty("message").GetProperty("content").GetString());
        var content = choice.GetProperty("logprobs").GetProperty("content");
        Assert.Equal(expected.Tokens.Count, content.GetArrayLength());
        var tokenizer = served.Engine().Files.LoadTokenizer();
        for (var i = 0; i < expected.Tokens.Count; i++)
        {
            Assert.Equal(tokenizer.DecodeToken(expected.Tokens[i]), content[i].GetProperty("token").GetString());
            Assert.Equal(2, content[i].GetProperty("top_logprobs").GetArrayLength());
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(content[i].GetProperty("token").GetString()!), content[i].GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()));
        }
        Assert.Equal(prompt.Length, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task A_chat_stream_starts_with_the_role_and_ends_with_done()
    {
        await served.ServerAsync();
        using var content = new StringContent($$"""{"messages": {{Messages}}, "max_tokens": 5, "temperature": 0, "stream": true}""");
        using var response = await served.Http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var (events, done) = Answers.Events(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(done);
        Assert.All(events, e => Assert.Equal("chat.completion.chunk", e.GetProperty("object").GetString()));
        Assert.Equal("assistant", events[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(events.Select(e => e.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal(served.Generate(ChatIds(), 5).Text, text);
        Assert.NotEqual(JsonValueKind.Null, events[^1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
    }

    [Fact]
    public async Task Tokenize_and_detokenize_answer_like_vllm()
    {
        var tokenizer = served.Engine().Files.LoadTokenizer();
        var (status, body) = await served.PostAsync("/tokenize", """{"model": "base", "prompt": "Hello </s> world", "return_token_strs": true}""");
        Assert.Equal(200, status);
        var expected = Prompts.Plain(tokenizer, "Hello </s> world");
        Assert.Equal(expected, Answers.Ids(body.GetProperty("tokens")));
        Assert.Equal(expected.Length, body.GetProperty("count").GetInt32());
        Assert.Equal(256, body.GetProperty("max_model_len").GetInt32());
        Assert.Equal(expected.Select(id => tokenizer.IdToToken(id)), body.GetProperty("token_strs").EnumerateArray().Select(s => s.GetString()));

        (_, body) = await served.PostAsync("/tokenize", """{"prompt": "Hello </s> world", "add_special_tokens": false, "parse_special": false}""");
        Assert.Equal(tokenizer.Encode("Hello </s> world", EncodeOptions.Default with { ParseSpecial = false }), Answers.Ids(body.GetProperty("tokens")));

        (_, body) = await served.PostAsync("/tokenize", $$"""{"messages": {{Messages}}}""");
        Assert.Equal(ChatIds(), Answers.Ids(body.GetProperty("tokens")));
        Assert.Equal(Prompts.RenderChat(served.Engine().Files, "Tell me a story", "Be brief."), body.GetProperty("prompt").GetString());

        (status, body) = await served.PostAsync("/detokenize", $$"""{"tokens": {{JsonSerializer.Serialize(expected)}}}""");
        Assert.Equal(200, status);
        Assert.Equal(tokenizer.Decode(expected), body.GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task Models_lists_the_served_model_and_health_answers_empty()
    {
        var (status, body) = await served.GetAsync("/v1/models");
        Assert.Equal(200, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var card = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("base", card.GetProperty("id").GetString());
        Assert.Equal("model", card.GetProperty("object").GetString());
        Assert.Equal(256, card.GetProperty("max_model_len").GetInt32());
        Assert.Equal(served.Engine().Model.VocabSize, card.GetProperty("vocab_size").GetInt32());
        (status, _) = await served.GetAsync("/v1/models/base");
        Assert.Equal(200, status);
        (status, body) = await served.GetAsync("/v1/models/nope");
        Assert.Equal(404, status);
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
        (status, body) = await served.GetAsync("/health");
        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Undefined, body.ValueKind);
    }
}
