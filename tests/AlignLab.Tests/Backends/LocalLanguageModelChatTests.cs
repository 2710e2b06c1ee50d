using AlignLab.Backends;
using AlignLab.Engine.Templates;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Backends;

public sealed class LocalLanguageModelChatTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    [Fact]
    public async Task A_chat_answer_is_the_greedy_answer_to_the_conversation_as_the_template_renders_it()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var reply = await model.CompleteChatAsync([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Name a colour."), new ChatTurn("assistant", "Red."), new ChatTurn("user", "Another?")],
            new ChatCompletionRequest { MaxNewTokens = 6 }, TestContext.Current.CancellationToken);

        // The fixture's template, written out: BOS, the system message, each user turn in [INST] (it drops assistant turns).
        var prompt = model.EncodePrompt("<s><<SYS>>Be brief.<</SYS>>[INST] Name a colour. [/INST][INST] Another? [/INST]");
        var expected = model.GenerateGreedy(prompt, 6, TestContext.Current.CancellationToken);
        Assert.Equal(model.Tokenizer.Decode(expected.Tokens), reply.Text);
        Assert.Equal(expected.End, reply.End);
        Assert.Equal(prompt.Count, reply.PromptTokens);
        Assert.Equal(expected.Tokens.Count + (expected.End == AnswerEnd.EndOfTurn ? 1 : 0), reply.CompletionTokens);
    }

    [Fact]
    public async Task Concurrent_chats_are_answered_in_turn_as_each_alone()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var request = new ChatCompletionRequest { MaxNewTokens = 5 };
        var questions = new[] { "One?", "Two?", "Three?" };
        var alone = new List<string>();
        foreach (var question in questions)
        {
            alone.Add((await model.CompleteChatAsync([new ChatTurn("user", question)], request, TestContext.Current.CancellationToken)).Text);
        }
        var together = await Task.WhenAll(questions.Select(q => model.CompleteChatAsync([new ChatTurn("user", q)], request, TestContext.Current.CancellationToken)));
        Assert.Equal(alone, together.Select(r => r.Text));
    }

    [Fact]
    public async Task A_conversation_that_fills_the_context_gets_an_empty_answer_that_says_so()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var reply = await model.CompleteChatAsync([new ChatTurn("user", string.Join(" ", Enumerable.Repeat("word", 400)))], new ChatCompletionRequest(), TestContext.Current.CancellationToken);
        Assert.Equal(("", AnswerEnd.ContextFull, 0), (reply.Text, reply.End, reply.CompletionTokens));
        Assert.True(reply.PromptTokens >= model.ContextLength);
    }
}
