using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Tds;
using AlignLab.Tds.BasePrompts;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Tds;

public sealed class ExampleAnalyzerTests(TdsRunFixture fixture) : IClassFixture<TdsRunFixture>
{
    private static readonly InstructionRecord Record = new() { Id = RecordId.FromNumber(1), Instruction = "Tell me about the sea.", Index = 0, Line = 1 };

    private static readonly TdsAnalysisOptions Options = new() { MaxNewTokens = 8, TopK = 4 };

    [Fact]
    public void A_generated_token_that_is_not_the_scoring_argmax_is_repaired_to_the_greedy_answer()
    {
        using var baseModel = new CountingModel(LocalLanguageModel.Open(fixture.Models.Base));
        using var plain = new CountingModel(LocalLanguageModel.Open(fixture.Models.Perturbed));
        var expected = Assert.IsType<ExampleResult>(new ExampleAnalyzer(plain, baseModel, new PlainBasePrompt(), Options).Analyze(Record, TestContext.Current.CancellationToken));
        Assert.True(expected.Positions.Count >= 4, "the fixture's answer is long enough to be altered at index 2");

        // The first decoding goes astray at index 2 (as a rounding difference at a near-tie could make it).
        using var detour = new CountingModel(LocalLanguageModel.Open(fixture.Models.Perturbed), (call, answer) => call > 0 ? answer
            : answer with { Tokens = [.. answer.Tokens.Select((t, j) => j == 2 ? (t + 1) % 32000 : t)] });
        var analyzer = new ExampleAnalyzer(detour, baseModel, new PlainBasePrompt(), Options);
        var repaired = Assert.IsType<ExampleResult>(analyzer.Analyze(Record, TestContext.Current.CancellationToken));

        Assert.Equal(expected.Positions.Select(p => p.TokenId), repaired.Positions.Select(p => p.TokenId));
        Assert.Equal(expected.Answer, repaired.Answer);
        Assert.Equal(1, analyzer.Times.GreedyRepairs);
        Assert.Equal(2, detour.Generations);
        Assert.Equal(2, detour.Scored.Count);
        // The second decoding continued after the first two tokens and the scoring pass's argmax.
        Assert.Equal(expected.Positions.Take(3).Select(p => p.TokenId), detour.Scored[1].Skip(detour.ScoreStarts[1] + 1).Take(3));
    }

    [Fact]
    public void An_empty_answer_and_a_missing_output_are_skips_with_reasons()
    {
        using var baseModel = LocalLanguageModel.Open(fixture.Models.Base);
        using var silent = new CountingModel(LocalLanguageModel.Open(fixture.Models.Perturbed), (_, answer) => answer with { Tokens = [], End = AnswerEnd.EndOfTurn });
        var empty = Assert.IsType<SkippedExample>(new ExampleAnalyzer(silent, baseModel, new PlainBasePrompt(), Options).Analyze(Record, TestContext.Current.CancellationToken));
        Assert.Equal("the answer is empty", empty.Reason);
        var noOutput = Assert.IsType<SkippedExample>(new ExampleAnalyzer(silent, baseModel, new PlainBasePrompt(), Options with { UseOutputs = true }).Analyze(Record, TestContext.Current.CancellationToken));
        Assert.Equal("the record has no output to teacher-force (--use-outputs)", noOutput.Reason);
    }
}
