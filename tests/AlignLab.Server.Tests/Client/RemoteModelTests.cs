using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Generation;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Client;

/// <summary>The client against our own server: the same model served and loaded locally must agree.</summary>
public sealed class RemoteModelTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private async Task<(ILanguageModel Remote, LocalLanguageModel Local)> OpenBothAsync(RemoteModelOptions? options = null)
    {
        var server = await served.ServerAsync();
        var remote = LanguageModels.Open(server.ModelReference, remote: options);
        return (remote, LocalLanguageModel.Open(served.Models.Base, new LocalModelOptions { Threads = 1 }));
    }

    [Fact]
    public async Task Scoring_over_the_server_gives_the_local_ranks_and_logprobs()
    {
        var (remote, local) = await OpenBothAsync();
        using var _ = remote;
        using var __ = local;
        Assert.False(remote.HasFullDistribution);
        var tokens = local.ChatPrompt("Name three colours of the rainbow.", "Be brief.").Concat(local.Tokenizer.Encode("Red, orange and yellow.", parseSpecial: false)).ToList();
        var start = 5;
        var expected = local.Score(tokens, start, new ScoreRequest { TopK = 5 });
        var got = remote.Score(tokens, start, new ScoreRequest { TopK = 5 });
        Assert.Equal((expected.Start, expected.End), (got.Start, got.End));
        for (var p = start; p < expected.End; p++)
        {
            Assert.Equal(expected.NextToken(p), got.NextToken(p));
            Assert.Equal(expected.NextRank(p), got.NextRank(p));
            Assert.Equal(expected.NextLogProb(p), got.NextLogProb(p), 1e-4f);
            Assert.Equal(expected.TopIds(p).ToArray(), got.TopIds(p).ToArray());
            for (var k = 0; k < 5; k++)
            {
                Assert.Equal(expected.TopLogProbs(p)[k], got.TopLogProbs(p)[k], 1e-4f);
            }
            Assert.Null(got.Entropy(p));
        }
        Assert.Throws<NotSupportedException>(() => remote.Score(tokens, start, new ScoreRequest { KeepFullLogProbs = true }));
    }

    [Fact]
    public async Task Prompts_tokens_and_greedy_answers_match_the_local_model()
    {
        var (remote, local) = await OpenBothAsync();
        using var _ = remote;
        using var __ = local;
        Assert.Equal(local.ChatPrompt("Tell me a story", "Be brief."), remote.ChatPrompt("Tell me a story", "Be brief."));
        Assert.Equal(local.RenderChat("Tell me a story", null), remote.RenderChat("Tell me a story", null));
        Assert.Equal(local.EncodePrompt("Once upon a time"), remote.EncodePrompt("Once upon a time"));
        Assert.Equal(local.EncodePrompt("<s>Once"), remote.EncodePrompt("<s>Once")); // no second BOS
        Assert.Equal(local.Tokenizer.Encode("a </s> b", parseSpecial: false), remote.Tokenizer.Encode("a </s> b", parseSpecial: false));
        Assert.Equal(local.Tokenizer.Encode("a </s> b", parseSpecial: true), remote.Tokenizer.Encode("a </s> b", parseSpecial: true));
        var ids = local.Tokenizer.Encode("naïve 🙂 text", parseSpecial: false);
        Assert.Equal(local.Tokenizer.Decode(ids), remote.Tokenizer.Decode(ids));
        var stream = remote.Tokenizer.CreateTextStream();
        Assert.Equal(local.Tokenizer.Decode(ids), string.Concat(ids.Select(stream.Push)) + stream.Flush());
        Assert.Equal(local.Tokenizer.VocabSize, remote.Tokenizer.VocabSize);
        Assert.Equal(local.VocabSize, remote.VocabSize);
        Assert.Equal(local.ContextLength, remote.ContextLength);
        VocabularyCheck.EnsureSame(local, "local", remote, "served");

        var prompt = local.ChatPrompt("Tell me a story", null);
        var expected = local.GenerateGreedy(prompt, 10, TestContext.Current.CancellationToken);
        var got = remote.GenerateGreedy(prompt, 10, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Tokens, got.Tokens);
        Assert.Equal(expected.End, got.End);
    }

    [Fact]
    public async Task Seeded_sampling_and_a_stop_rule_give_what_the_local_model_gives()
    {
        var (remote, local) = await OpenBothAsync();
        using var _ = remote;
        using var __ = local;
        var prompt = local.ChatPrompt("Tell me a story", null);
        var sampling = new SamplingOptions { Temperature = 1, TopP = 0.9, TopK = 50, RepetitionPenalty = 1.1, Seed = 11 };
        var request = new AnswerRequest { MaxNewTokens = 8, Sampling = sampling };
        var expected = local.Generate(prompt, request, TestContext.Current.CancellationToken);
        var got = remote.Generate(prompt, request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, got with { Tokens = expected.Tokens });
        Assert.Equal(expected.Tokens, got.Tokens);
        Assert.SkipWhen(got.Tokens.Count < 4, "the fixture's sampled answer is too short to stop early");
        List<string> localPieces = [], remotePieces = [];
        var stopLocal = local.Generate(prompt, request with { StopAfter = p => Count(localPieces, p) == 3 }, TestContext.Current.CancellationToken);
        var stopRemote = remote.Generate(prompt, request with { StopAfter = p => Count(remotePieces, p) == 3 }, TestContext.Current.CancellationToken);
        Assert.Equal(AnswerEnd.Stopped, stopRemote.End);
        Assert.Equal(stopLocal.Tokens, stopRemote.Tokens);
        Assert.Equal(stopLocal.Text, stopRemote.Text);
        Assert.Equal(localPieces, remotePieces);
        Assert.Throws<NotSupportedException>(() => remote.Generate(prompt, request with { Sampling = sampling with { RepetitionWindow = 64 } }, TestContext.Current.CancellationToken));
        Assert.Equal(local.EndOfTurnIds, remote.EndOfTurnIds);

        static int Count(List<string> pieces, string piece)
        {
            pieces.Add(piece);
            return pieces.Count;
        }
    }

    [Fact]
    public async Task A_local_tokenizer_replaces_the_server_one()
    {
        var (remote, local) = await OpenBothAsync(new RemoteModelOptions { Tokenizer = served.Models.Base });
        using var _ = remote;
        using var __ = local;
        Assert.Equal(local.ChatPrompt("Hi", null), remote.ChatPrompt("Hi", null));
        Assert.Equal(local.Tokenizer.TokenString(100), remote.Tokenizer.TokenString(100));
    }

    [Fact]
    public async Task A_model_the_server_does_not_have_is_named_with_what_it_serves()
    {
        var server = await served.ServerAsync();
        var reference = server.ModelReference.Replace("#base", "#other", StringComparison.Ordinal);
        var e = Assert.Throws<RemoteModelException>(() => LanguageModels.Open(reference));
        Assert.Contains("has no model \"other\"; it serves: base", e.Message, StringComparison.Ordinal);
    }
}
