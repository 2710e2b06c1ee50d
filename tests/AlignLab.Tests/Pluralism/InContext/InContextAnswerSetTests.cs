using System.Text.Json;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Tests.Support;
using AlignLab.Pluralism.InContext;
using AlignLab.Runs;
using AlignLab.Tests.Support;
using AlignLab.Urial;
using static AlignLab.Tests.Pluralism.InContext.InContextData;

namespace AlignLab.Tests.Pluralism.InContext;

/// <summary>In-context answer sets end to end on the tiny base model: summaries paid for once across an interrupted run, settings that must match.</summary>
public sealed class InContextAnswerSetTests(FixtureModels models) : IClassFixture<FixtureModels>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly TeacherAnswers TeacherSet = Teacher(
        Answer(1, "Name a colour.", "Blue."),
        Answer(2, "Say hello.", "Hello there!"),
        Answer(3, "Count to three.", "One, two, three."),
        Answer(4, "Name a planet.", "Mars."));

    private IReadOnlyList<InstructionRecord> Data() => InstructionReader.Read(_dir.Write("data.jsonl",
        "{\"id\": 1, \"instruction\": \"Name a colour.\"}\n{\"id\": 2, \"instruction\": \"Say hello.\"}\n{\"id\": 3, \"instruction\": \"Count to three.\"}\n"),
        new BadRecordLog(false));

    private AnswerSetSummary Run(ILanguageModel model, CountingSummarizer summarizer, int k, int? limit)
    {
        using var cache = JsonlCache.Open(_dir.File("answers.summaries.jsonl"));
        var format = new InContextSettings
        {
            Variant = InContextVariant.Parse("dynamic+summary"),
            Prompt = UrialPrompts.BuiltIn("zero"),
            Teacher = TeacherSet,
            K = k,
            Selection = ExampleSelection.Random,
            Seed = 5,
            Summaries = new CachedSummaries(summarizer, cache),
        }.CreateFormat();
        var job = new AnswerSetJob
        {
            Command = "test",
            Model = model,
            ModelName = "base",
            Format = format,
            Instructions = RunSelection.Select(Data(), Shard.All, limit),
            Options = new AnswerSetOptions { MaxNewTokens = 4, Sampling = new SamplingOptions { Temperature = 1, RepetitionPenalty = 1.5 }, Samples = 2, Seed = 5 },
            Files = new AnswerSetFiles(_dir.File("answers.jsonl")),
            SamplesInAnswers = true,
        };
        return AnswerSetRun.Execute(job, progress: null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void An_interrupted_run_resumes_without_summarizing_anything_twice_and_refuses_other_settings()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var summarizer = new CountingSummarizer();

        var first = Run(model, summarizer, k: 1, limit: 2);
        Assert.Equal((2, 0), (first.Answered, first.Skipped.Count));
        var afterFirst = summarizer.Calls.Count;
        // Each of the two targets shows one example and its own hint: at least one summary each, at most two.
        Assert.InRange(afterFirst, 2, 4);

        var second = Run(model, summarizer, k: 1, limit: null);
        Assert.Equal((2, 1), (second.AlreadyAnswered, second.Answered));
        Assert.InRange(summarizer.Calls.Count - afterFirst, 0, 2);
        Assert.Equal(summarizer.Calls.Count, summarizer.Calls.Distinct().Count());
        // Every target's hint is the summary of the teacher's answer to it.
        Assert.Contains(("Name a colour.", "Blue."), summarizer.Calls);
        Assert.Contains(("Say hello.", "Hello there!"), summarizer.Calls);
        Assert.Contains(("Count to three.", "One, two, three."), summarizer.Calls);

        var callsBefore = summarizer.Calls.Count;
        var third = Run(model, summarizer, k: 1, limit: null);
        Assert.Equal((3, 0), (third.AlreadyAnswered, third.Answered));
        Assert.Equal(callsBefore, summarizer.Calls.Count);

        var lines = File.ReadAllLines(_dir.File("answers.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["1", "2", "3"], lines.Select(l => l.GetProperty("id").GetRawText()));
        Assert.All(lines, l => Assert.Equal("base+URIAL=zero+ICL=dynamic:random:1+summary", l.GetProperty("generator").GetString()));

        var error = Assert.Throws<InvalidOperationException>(() => Run(model, summarizer, k: 2, limit: null));
        Assert.Contains("was written with icl_k 1, not 2", error.Message, StringComparison.Ordinal);
    }
}
