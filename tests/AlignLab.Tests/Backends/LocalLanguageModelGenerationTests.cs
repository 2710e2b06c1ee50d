using AlignLab.Backends;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Backends;

public sealed class LocalLanguageModelGenerationTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    private static readonly SamplingOptions Sampling = new() { Temperature = 0.9, TopP = 0.95, RepetitionPenalty = 1.2, Seed = 17 };

    private GenerationResult EngineGeneration(IReadOnlyList<int> prompt, int maxTokens)
    {
        using var files = LocalModel.Open(models.Base);
        var tokenizer = files.LoadTokenizer();
        using var engine = LlamaModel.Load(files);
        using var generator = new TextGenerator(engine, tokenizer, GenerationDefaults.EndOfGenerationIds(files, tokenizer));
        return generator.Generate(prompt, new GenerationOptions { MaxTokens = maxTokens, Sampling = Sampling });
    }

    [Fact]
    public void Sampled_answers_are_the_engine_generation_with_the_same_settings()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var prompt = model.EncodePrompt("Once upon a time");
        var pieces = new List<string>();
        var answer = model.Generate(prompt, new AnswerRequest { MaxNewTokens = 10, Sampling = Sampling, StopAfter = piece => { pieces.Add(piece); return false; } },
            TestContext.Current.CancellationToken);
        var expected = EngineGeneration(prompt, 10);
        var endedByToken = expected.EndReason == GenerationEndReason.StopToken;
        Assert.Equal(endedByToken ? expected.Tokens.SkipLast(1) : expected.Tokens, answer.Tokens);
        Assert.Equal(expected.Text, answer.Text);
        Assert.Equal(answer.Text, string.Concat(pieces));
        Assert.Equal(endedByToken ? AnswerEnd.EndOfTurn : AnswerEnd.MaxTokens, answer.End);
    }

    [Fact]
    public void The_stop_rule_ends_the_answer_after_the_token_it_stops_on()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var prompt = model.EncodePrompt("Once upon a time");
        var seen = 0;
        var answer = model.Generate(prompt, new AnswerRequest { MaxNewTokens = 10, Sampling = Sampling, StopAfter = _ => ++seen == 3 },
            TestContext.Current.CancellationToken);
        var expected = EngineGeneration(prompt, 10);
        Assert.True(expected.Tokens.Count > 3, "the fixture must generate more than three tokens");
        Assert.Equal(AnswerEnd.Stopped, answer.End);
        Assert.Equal(expected.Tokens.Take(3), answer.Tokens);
        Assert.Equal(model.Tokenizer.Decode([.. expected.Tokens.Take(3)]), answer.Text);
    }
}
