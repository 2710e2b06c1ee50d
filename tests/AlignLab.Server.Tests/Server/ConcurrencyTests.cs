using System.Text;
using System.Text.Json;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Server;

/// <summary>Many clients at once through two slots, and a client that leaves mid-stream.</summary>
public sealed class ConcurrencyTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    [Fact]
    public async Task Concurrent_clients_each_get_what_the_engine_generates_alone()
    {
        await served.ServerAsync();
        var prompts = Enumerable.Range(0, 6).Select(i => new[] { 1, 450 + (i * 37), 4996 - i, 17354 }).ToArray();
        var answers = await Task.WhenAll(prompts.Select(async (prompt, i) =>
        {
            var (status, body) = await served.PostAsync("/v1/completions",
                $$"""{"prompt": {{JsonSerializer.Serialize(prompt)}}, "max_tokens": {{4 + i}}, "temperature": 0, "logprobs": 0, "return_tokens_as_token_ids": true}""");
            Assert.Equal(200, status);
            return body;
        }));
        for (var i = 0; i < prompts.Length; i++)
        {
            var expected = served.Generate(prompts[i], 4 + i);
            var tokens = answers[i].GetProperty("choices")[0].GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(Answers.LabelId);
            Assert.Equal(expected.Tokens, tokens);
            Assert.Equal(expected.Text, answers[i].GetProperty("choices")[0].GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_stops_its_generation()
    {
        var server = await served.ServerAsync();
        var cancelledBefore = server.Stats.SequencesCancelled;
        var tokensBefore = server.Stats.TokensGenerated;
        const int MaxTokens = 250;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent($$"""{"prompt": [1, 450], "max_tokens": {{MaxTokens}}, "temperature": 0, "ignore_eos": true, "stream": true}""", Encoding.UTF8, "application/json"),
        })
        {
            using var response = await served.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            await using var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            var first = new byte[16];
            Assert.True(await stream.ReadAsync(first, TestContext.Current.CancellationToken) > 0);
        } // closing the response closes the connection
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60)); // a bound on a hang, not a timing: the drop is waited for
        while (server.Stats.SequencesCancelled == cancelledBefore)
        {
            await Task.Delay(20, patience.Token);
        }
        Assert.True(server.Stats.TokensGenerated - tokensBefore < MaxTokens, "the generation ran to its end although its client left");
        var (status, _) = await served.PostAsync("/v1/completions", """{"prompt": [1, 450], "max_tokens": 2, "temperature": 0}""");
        Assert.Equal(200, status);
    }
}
