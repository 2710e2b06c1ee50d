using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Data;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Tests.Support;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Client;

/// <summary>
/// An answer set from a served model with several instructions answered at once: the server sees the requests
/// overlap, and the files (answers and samples, in instruction order) are those of a run that answers one at a time.
/// </summary>
public sealed class AnswerSetOverServedModelTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private static AnswerSetJob Job(ILanguageModel model, IReadOnlyList<InstructionRecord> instructions, string answers, int concurrency) => new()
    {
        Command = "generate-set",
        Model = model,
        ModelName = "base",
        Format = new ChatAnswerFormat(system: null, chatTemplatePath: null),
        Instructions = instructions,
        Options = new AnswerSetOptions { MaxNewTokens = 6, Samples = 3, Seed = 11, Sampling = new SamplingOptions { Temperature = 0.9 } },
        Files = new AnswerSetFiles(answers),
        Concurrency = concurrency,
    };

    [Fact]
    public async Task Four_at_once_overlap_on_the_server_and_write_what_one_at_a_time_writes()
    {
        var server = await served.ServerAsync();
        using var scratch = new ScratchDirectory();
        var data = scratch.Write("data.jsonl", string.Join('\n', Enumerable.Range(0, 7).Select(i => $$"""{"id": {{i}}, "instruction": "Question number {{i}}: say something."}""")) + "\n");
        var instructions = InstructionReader.Read(data, new BadRecordLog(skipBad: false));
        using var model = LanguageModels.Open(server.ModelReference, remote: new RemoteModelOptions { Concurrency = 4 });

        var parallel = scratch.File("parallel.jsonl");
        server.Scheduler.PauseSteps();
        var running = Task.Run(() => AnswerSetRun.Execute(Job(model, instructions, parallel, concurrency: 4), cancel: TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken);
        await ServedRuns.WaitForRequestsInFlightAsync(server, 4, running);
        server.Scheduler.ResumeSteps();
        var summary = await running;
        Assert.Equal(7, summary.Answered);

        var sequential = scratch.File("sequential.jsonl");
        AnswerSetRun.Execute(Job(model, instructions, sequential, concurrency: 1), cancel: TestContext.Current.CancellationToken);
        Assert.Equal(File.ReadAllText(sequential), File.ReadAllText(parallel));
        Assert.Equal(File.ReadAllText(new AnswerSetFiles(sequential).Samples), File.ReadAllText(new AnswerSetFiles(parallel).Samples));
        var ids = File.ReadAllLines(parallel).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt32());
        Assert.Equal(Enumerable.Range(0, 7), ids);
    }

    [Fact]
    public void A_local_model_answers_one_instruction_at_a_time()
    {
        using var model = LocalLanguageModel.Open(served.Models.Base, new LocalModelOptions { Threads = 1 });
        using var scratch = new ScratchDirectory();
        var data = scratch.Write("data.jsonl", """{"instruction": "Hi"}""" + "\n");
        var job = Job(model, InstructionReader.Read(data, new BadRecordLog(skipBad: false)), scratch.File("out.jsonl"), concurrency: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AnswerSetRun.Execute(job, cancel: TestContext.Current.CancellationToken));
        Assert.Contains("must be 1 for a local model", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.File("out.jsonl")));
    }
}
