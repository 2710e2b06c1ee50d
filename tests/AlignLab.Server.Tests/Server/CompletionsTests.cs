using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Server;

public sealed class CompletionsTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    [Fact]
    public async Task Token_id_prompts_are_used_as_given_and_greedy_text_is_the_engine_generation()
    {
        int[] prompt = [450, 4996, 17354, 1701, 29916];
        var (status, body) = await served.PostAsync("/v1/completions",
            $$"""{"model": "base", "prompt": {{JsonSerializer.Serialize(prompt)}}, "max_tokens": 6, "temperature": 0, "logprobs": 3, "return_tokens_as_token_ids": true}""");
        Assert.Equal(200, status);
        var expected = served.Generate(prompt, 6, topLogProbs: 3);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("base", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(expected.Text, choice.GetProperty("text").GetString());
        var tokens = choice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => int.Parse(t.GetString()!["token_id:".Length..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Tokens, tokens);
        Assert.Equal(expected.EndReason is GenerationEndReason.StopToken or GenerationEndReason.StopString ? "stop" : "length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(prompt.Length, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.Tokens.Count, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(prompt.Length + expected.Tokens.Count, usage.GetProperty("total_tokens").GetInt32());
    }
}
