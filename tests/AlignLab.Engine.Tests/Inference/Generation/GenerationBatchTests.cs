using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;

namespace AlignLab.Engine.Tests.Inference.Generation;

/// <summary>Continuous batching: sequences join and leave a running batch and still get what they get alone.</summary>
public sealed class GenerationBatchTests : IDisposable
{
    private readonly LlamaModel _model;
    private readonly TextGenerator _generator;

    public GenerationBatchTests()
    {
        (_model, var tokenizer) = TestModels.LoadWithTokenizer(TestModels.Gguf(TestModels.Checkpoint(TestModels.Config())));
        _generator = new TextGenerator(_model, tokenizer);
    }

    public void Dispose()
    {
        _generator.Dispose();
        _model.Dispose();
    }

    private static GenerationOptions Options(int maxTokens, double temperature = 0) => new()
    {
        MaxTokens = maxTokens,
        StopTokens = [],
        Sampling = new SamplingOptions { Temperature = temperature },
        TopLogProbs = 3,
    };

    [Fact]
    public void A_sequence_that_joins_a_running_batch_gets_the_tokens_it_gets_alone()
    {
        int[] first = TestModels.Tokens(9, _model.VocabSize, seed: 3);
        int[] late = TestModels.Tokens(5, _model.VocabSize, seed: 4);
        using var batch = new GenerationBatch(_model, _generator.Tokenizer, [], 2, new SessionOptions { ContextSize = 64 });
        var got = new[] { new List<int>(), new List<int>() };
        got[0].Add(batch.Start(0, first, Options(12), 0).Id);
        for (var i = 0; i < 4; i++)
        {
            batch.Step((slot, token) => got[slot].Add(token.Id));
        }
        got[1].Add(batch.Start(1, late, Options(10, temperature: 1), 42).Id);
        while (batch.ActiveCount > 0)
        {
            batch.Step((slot, token) => got[slot].Add(token.Id));
        }
        Assert.Equal(_generator.Generate(first, Options(12)).Tokens, got[0]);
        Assert.Equal(_generator.Generate(late, Options(10, temperature: 1) with { Sampling = new SamplingOptions { Temperature = 1, Seed = 42 } }).Tokens, got[1]);
    }

    [Fact]
    public void A_stopped_sequence_frees_its_slot_for_the_next()
    {
        int[] prompt = TestModels.Tokens(6, _model.VocabSize, seed: 5);
        using var batch = new GenerationBatch(_model, _generator.Tokenizer, [], 1, new SessionOptions { ContextSize = 64 });
        batch.Start(0, prompt, Options(50), 0);
        Assert.Throws<InvalidOperationException>(() => batch.Start(0, prompt, Options(5), 0));
        Assert.Equal(1, batch.Step((_, _) => { }));
        batch.Stop(0);
        Assert.False(batch.IsActive(0));
        Assert.Equal(0, batch.Step((_, _) => Assert.Fail("a stopped sequence stepped")));
        var again = new List<int> { batch.Start(0, prompt, Options(5), 0).Id };
        while (batch.IsActive(0))
        {
            batch.Step((_, token) => again.Add(token.Id));
        }
        Assert.Equal(_generator.Generate(prompt, Options(5)).Tokens, again);
    }

    [Fact]
    public void Prompts_that_do_not_fit_a_slot_are_refused_in_one_line()
    {
        using var batch = new GenerationBatch(_model, _generator.Tokenizer, [], 1, new SessionOptions { ContextSize = 8 });
        var e = Assert.Throws<ArgumentException>(() => batch.Start(0, TestModels.Tokens(9, _model.VocabSize), Options(2), 0));
        Assert.StartsWith("the prompt has 9 tokens, more than the context of 8", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Start(1, [1], Options(2), 0));
    }
}
