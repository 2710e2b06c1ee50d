using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;
using AlignLab.Runs;
using AlignLab.Tests.Support;
using AlignLab.Urial;

namespace AlignLab.Tests.AnswerSets;

/// <summary>Answer sets end to end on a tiny random-weight model with a real vocabulary (context 256).</summary>
public sealed class AnswerSetRunTests(FixtureModels models) : IClassFixture<FixtureModels>, IDisposable
{
    private const int MaxNewTokens = 8;

    /// <summary>Greedy with a repetition penalty: without one the random model only repeats line breaks, which clean up to nothing.</summary>
    private static readonly SamplingOptions Penalised = new() { RepetitionPenalty = 1.5 };
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Three short instructions, ids of both kinds, one without a category, and one far too long for the context.</summary>
    private string Data() => _dir.Write("data.jsonl",
        "{\"id\": 7, \"instruction\": \"Name a colour.\", \"category\": \"regular\"}\n"
        + "{\"id\": \"q-2\", \"instruction\": \"Say hello.\"}\n"
        + "{\"id\": 9, \"instruction\": \"" + string.Join(' ', Enumerable.Repeat("long", 300)) + "\", \"category\": \"safety\"}\n"
        + "{\"id\": 10, \"instruction\": \"Count to three.\", \"category\": \"regular\"}\n");

    private AnswerSetJob Job(ILanguageModel model, IAnswerFormat format, string output, AnswerSetOptions? options = null, int? limit = null) => new()
    {
        Command = "test",
        Model = model,
        ModelName = "base",
        Format = format,
        Instructions = RunSelection.Select(InstructionReader.Read(Data(), new BadRecordLog(false)), Shard.All, limit),
        Options = options ?? new AnswerSetOptions { MaxNewTokens = MaxNewTokens, Sampling = Penalised },
        Files = new AnswerSetFiles(_dir.File(output)),
    };

    private static AnswerSetSummary Run(AnswerSetJob job) => AnswerSetRun.Execute(job, progress: null, TestContext.Current.CancellationToken);

    private static List<JsonElement> Lines(string path)
        => [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>What the URIAL answer must be, from the engine directly: the zero frame written out by hand, greedy decoding, the reader's cut, clean-up.</summary>
    private string ExpectedUrialAnswer(string instruction)
    {
        using var files = LocalModel.Open(models.Base);
        var tokenizer = files.LoadTokenizer();
        using var engine = LlamaModel.Load(files);
        using var generator = new TextGenerator(engine, tokenizer, GenerationDefaults.EndOfGenerationIds(files, tokenizer));
        var prompt = Prompts.Plain(tokenizer, "# Query:\n```\n" + instruction + "\n```\n\n# Answer:\n```\n");
        var reader = new UrialAnswerReader(UrialFrame.Default);
        foreach (var token in generator.Start(prompt, new GenerationOptions { MaxTokens = MaxNewTokens, Sampling = Penalised }))
        {
            if (reader.Push(token.Text))
            {
                break;
            }
        }
        return UrialAnswerCleanup.Clean(reader.Finish());
    }

    [Fact]
    public void A_urial_run_writes_just_eval_lines_with_ids_as_given_and_skips_what_does_not_fit()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var job = Job(model, new UrialAnswerFormat(UrialPrompts.BuiltIn("zero")), "urial.jsonl");
        var summary = Run(job);

        Assert.Equal((4, 0, 3), (summary.Instructions, summary.AlreadyAnswered, summary.Answered));
        var skipped = Assert.Single(summary.Skipped);
        Assert.Equal(RecordId.FromNumber(9), skipped.Id);
        Assert.EndsWith($"tokens and {MaxNewTokens} new tokens exceed the context of 256", skipped.Reason, StringComparison.Ordinal);

        var lines = Lines(job.Files.Answers);
        Assert.Equal(["7", "\"q-2\"", "10"], lines.Select(l => l.GetProperty("id").GetRawText()));
        Assert.All(lines, l => Assert.Equal(["id", "instruction", "category", "output", "generator"], l.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("category").ValueKind);
        Assert.Equal("regular", lines[0].GetProperty("category").GetString());
        Assert.All(lines, l => Assert.Equal("base+URIAL=zero", l.GetProperty("generator").GetString()));
        Assert.NotEqual("", lines[0].GetProperty("output").GetString());
        Assert.Equal(ExpectedUrialAnswer("Name a colour."), lines[0].GetProperty("output").GetString());
        Assert.Equal(ExpectedUrialAnswer("Count to three."), lines[2].GetProperty("output").GetString());

        var manifest = JsonNode.Parse(File.ReadAllText(job.Files.Manifest))!;
        Assert.Equal("test", manifest["command"]!.GetValue<string>());
        Assert.Equal(FileHash.Sha256OfFile(models.Base), manifest["model"]!["sha256"]!.GetValue<string>());
        Assert.Equal(UrialPrompts.BuiltIn("zero").Sha256, manifest["options"]!["prompt_sha256"]!.GetValue<string>());
        Assert.Equal(MaxNewTokens, manifest["options"]!["max_new_tokens"]!.GetValue<int>());
        Assert.Equal(0.0, manifest["options"]!["temperature"]!.GetValue<double>());
        Assert.Equal(1.5, manifest["options"]!["repetition_penalty"]!.GetValue<double>());
        Assert.Equal(3, manifest["results"]!["answered"]!.GetValue<int>());
        Assert.Equal(9, manifest["results"]!["skipped"]!["items"]![0]!["id"]!.GetValue<int>());
        Assert.False(File.Exists(job.Files.Samples));
    }

    [Fact]
    public void A_run_killed_mid_line_resumes_drops_the_torn_line_and_ends_as_an_uninterrupted_run()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var format = new UrialAnswerFormat(UrialPrompts.BuiltIn("zero"));
        var whole = Job(model, format, "whole.jsonl");
        Run(whole);

        var first = Job(model, format, "resumed.jsonl", limit: 1);
        Run(first);
        var created = JsonNode.Parse(File.ReadAllText(first.Files.Manifest))!["created"]!.GetValue<string>();
        // A kill -9 in the middle of the second append leaves half a line.
        File.AppendAllText(first.Files.Answers, "{\"id\": \"q-2\", \"instruction\": \"Say hel");

        var summary = Run(first with { Instructions = whole.Instructions });
        Assert.Equal((1, 2), (summary.AlreadyAnswered, summary.Answered));
        Assert.Equal(File.ReadAllText(whole.Files.Answers), File.ReadAllText(first.Files.Answers));
        Assert.Equal(created, JsonNode.Parse(File.ReadAllText(first.Files.Manifest))!["created"]!.GetValue<string>());

        var again = Run(first with { Instructions = whole.Instructions });
        Assert.Equal((3, 0), (again.AlreadyAnswered, again.Answered));
    }

    [Fact]
    public void A_resumed_run_must_decide_answers_the_same_way()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var job = Job(model, new UrialAnswerFormat(UrialPrompts.BuiltIn("zero")), "urial.jsonl", limit: 1);
        Run(job);
        var hotter = job with { Options = job.Options with { Sampling = job.Options.Sampling with { Temperature = 0.7 } } };
        var error = Assert.Throws<InvalidOperationException>(() => Run(hotter));
        Assert.Equal($"{job.Files.Manifest}: {job.Files.Answers} was written with temperature 0, not 0.7: use another --out, or delete both files to start over", error.Message);
        var otherPrompt = job with { Format = new UrialAnswerFormat(UrialPrompts.BuiltIn("preamble")) };
        Assert.Contains("was written with prompt \"zero\", not \"preamble\"", Assert.Throws<InvalidOperationException>(() => Run(otherPrompt)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_without_their_run_json_are_not_resumed()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var job = Job(model, new ChatAnswerFormat(null, null), "chat.jsonl", limit: 1);
        File.WriteAllText(job.Files.Answers, "{\"id\": 7}\n");
        var error = Assert.Throws<InvalidOperationException>(() => Run(job));
        Assert.StartsWith($"{job.Files.Answers} exists but {job.Files.Manifest} does not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_samples_go_to_the_side_file_and_the_kept_one_is_the_answer_reproducibly()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var options = new AnswerSetOptions { MaxNewTokens = MaxNewTokens, Samples = 3, Seed = 11, Sampling = new SamplingOptions { Temperature = 1.0 } };
        var format = new UrialAnswerFormat(UrialPrompts.BuiltIn("zero"));
        var job = Job(model, format, "sampled.jsonl", options);
        Run(job);

        var answers = Lines(job.Files.Answers);
        var samples = Lines(job.Files.Samples);
        Assert.Equal(answers.Select(a => a.GetProperty("id").GetRawText()), samples.Select(s => s.GetProperty("id").GetRawText()));
        for (var i = 0; i < answers.Count; i++)
        {
            var all = samples[i].GetProperty("samples").EnumerateArray().ToList();
            Assert.Equal(3, all.Count);
            var chosen = samples[i].GetProperty("chosen").GetInt32();
            Assert.Equal(answers[i].GetProperty("output").GetString(), all[chosen].GetProperty("output").GetString());
            foreach (var sample in all)
            {
                var end = sample.GetProperty("end").GetString();
                var truncated = end is "max_tokens" or "context_full";
                var repetitive = SampleChoice.RepeatsNgram(sample.GetProperty("output").GetString()!);
                Assert.Equal(truncated ? "truncated" : repetitive ? "repetitive" : "kept", sample.GetProperty("verdict").GetString());
                Assert.InRange(sample.GetProperty("tokens").GetInt32(), 1, MaxNewTokens);
            }
            if (all.Any(s => s.GetProperty("verdict").GetString() == "kept"))
            {
                Assert.Equal("kept", all[chosen].GetProperty("verdict").GetString());
            }
        }
        // The same seed gives the same samples and choices in another file; temperature 1 makes the samples differ.
        var again = Job(model, format, "again.jsonl", options);
        Run(again);
        Assert.Equal(File.ReadAllText(job.Files.Samples), File.ReadAllText(again.Files.Samples));
        Assert.Contains(samples, s => s.GetProperty("samples").EnumerateArray().Select(x => x.GetProperty("output").GetString()).Distinct().Count() > 1);
    }

    [Fact]
    public void A_run_killed_between_the_samples_line_and_the_answer_takes_the_choice_from_the_samples_file()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var options = new AnswerSetOptions { MaxNewTokens = MaxNewTokens, Samples = 2, Seed = 3, Sampling = new SamplingOptions { Temperature = 1.0 } };
        var job = Job(model, new UrialAnswerFormat(UrialPrompts.BuiltIn("zero")), "sampled.jsonl", options, limit: 2);
        Run(job);
        var complete = File.ReadAllText(job.Files.Answers);
        // The kill came after the second samples line was written but before its answer: drop that answer,
        // and make the stored choice recognisable, so only a choice read back from the file can produce it.
        var lines = File.ReadAllLines(job.Files.Answers);
        File.WriteAllText(job.Files.Answers, lines[0] + "\n");
        var samples = File.ReadAllLines(job.Files.Samples);
        var stored = JsonNode.Parse(samples[1])!;
        var chosen = stored["chosen"]!.GetValue<int>();
        stored["samples"]![chosen]!["output"] = "from the samples file";
        File.WriteAllText(job.Files.Samples, samples[0] + "\n" + stored.ToJsonString() + "\n");

        var summary = Run(job);
        Assert.Equal((1, 1), (summary.AlreadyAnswered, summary.Answered));
        var answers = Lines(job.Files.Answers);
        Assert.Equal("from the samples file", answers[1].GetProperty("output").GetString());
        Assert.Equal(complete.Split('\n')[0], File.ReadAllLines(job.Files.Answers)[0]);
    }

    [Fact]
    public void Generate_set_answers_through_the_chat_template_in_the_same_format()
    {
        using var model = LocalLanguageModel.Open(models.Aligned, new LocalModelOptions { Threads = 1 });
        var job = Job(model, new ChatAnswerFormat("Be brief.", null), "chat.jsonl", limit: 2);
        var summary = Run(job);
        Assert.Equal(2, summary.Answered);

        using var files = LocalModel.Open(models.Aligned);
        var tokenizer = files.LoadTokenizer();
        using var engine = LlamaModel.Load(files);
        using var generator = new TextGenerator(engine, tokenizer, GenerationDefaults.EndOfGenerationIds(files, tokenizer));
        var lines = Lines(job.Files.Answers);
        foreach (var (line, instruction) in lines.Zip(["Name a colour.", "Say hello."]))
        {
            var expected = generator.Generate(Prompts.Chat(files, tokenizer, instruction, "Be brief."), new GenerationOptions { MaxTokens = MaxNewTokens, Sampling = Penalised });
            Assert.NotEqual("", expected.Text.Trim());
            Assert.Equal(expected.Text.Trim(), line.GetProperty("output").GetString());
            Assert.Equal("base", line.GetProperty("generator").GetString());
        }
        var manifest = JsonNode.Parse(File.ReadAllText(job.Files.Manifest))!;
        Assert.Equal("chat", manifest["options"]!["format"]!.GetValue<string>());
        Assert.Equal("Be brief.", manifest["options"]!["system"]!.GetValue<string>());
    }
}
