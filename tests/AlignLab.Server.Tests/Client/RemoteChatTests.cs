using AlignLab.Backends;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Templates;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Client;

/// <summary>Chat completions and sampled generation through our own server agree with the same model loaded locally.</summary>
public sealed class RemoteChatTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private async Task<(ILanguageModel Remote, LocalLanguageModel Local)> OpenBothAsync()
    {
        var server = await served.ServerAsync();
        return (LanguageModels.Open(server.ModelReference), LocalLanguageModel.Open(served.Models.Base, new LocalModelOptions { Threads = 1 }));
    }

    [Fact]
    public async Task A_chat_over_the_server_is_the_local_chat_answer_with_the_servers_token_counts()
    {
        var (remote, local) = await OpenBothAsync();
        using var _ = remote;
        using var __ = local;
        ChatTurn[] turns = [new("system", "Be brief."), new("user", "Name a colour.")];
        var request = new ChatCompletionRequest { MaxNewTokens = 7, JsonObject = true };
        var expected = await local.CompleteChatAsync(turns, request, TestContext.Current.CancellationToken);
        var got = await remote.CompleteChatAsync(turns, request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, got);
        Assert.Equal(local.ChatPrompt("Name a colour.", "Be brief.").Count, got.PromptTokens);
    }

    [Fact]
    public async Task Sampled_generation_and_the_stop_rule_over_the_server_match_the_local_model()
    {
        var (remote, local) = await OpenBothAsync();
        using var _ = remote;
        using var __ = local;
        var prompt = local.EncodePrompt("Once upon a time");
        var request = new AnswerRequest { MaxNewTokens = 8, Sampling = new SamplingOptions { Temperature = 0.9, TopP = 0.95, Seed = 11 } };
        var expected = local.Generate(prompt, request, TestContext.Current.CancellationToken);
        var got = remote.Generate(prompt, request, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Tokens, got.Tokens);
        Assert.Equal((expected.Text, expected.End), (got.Text, got.End));

        var pieces = 0;
        var stopped = remote.Generate(prompt, request with { StopAfter = piece => ++pieces == 2 }, TestContext.Current.CancellationToken);
        Assert.Equal(AnswerEnd.Stopped, stopped.End);
        Assert.True(expected.Text.StartsWith(stopped.Text, StringComparison.Ordinal), $"'{stopped.Text}' is not a start of '{expected.Text}'");
        Assert.True(stopped.Tokens.Count < expected.Tokens.Count || expected.End == AnswerEnd.MaxTokens);
    }
}
