using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

/// <summary><c>pluralism sample --icl</c> on the tiny fixture model: teacher, dynamic and summary variants, their caches, resumes and errors.</summary>
public sealed class PluralismSampleInContextTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data() => _dir.Write("data.json",
        "[{\"id\": \"a\", \"instruction\": \"Name a colour.\", \"category\": \"regular\"}, {\"id\": 7, \"instruction\": \"Say hello.\"}]");

    /// <summary>Answers to both data queries, the tiny prompt's example query and one more.</summary>
    private string Teacher() => _dir.Write("teacher.jsonl", string.Join("\n",
        "{\"id\": \"a\", \"instruction\": \"Name a colour.\", \"output\": \"Blue.\", \"generator\": \"aligned\"}",
        "{\"id\": 7, \"instruction\": \"Say hello.\", \"output\": \"Hello!\", \"generator\": \"aligned\"}",
        "{\"id\": 1, \"instruction\": \"Name a fruit.\", \"output\": \"A banana.\", \"generator\": \"aligned\"}",
        "{\"id\": 2, \"instruction\": \"Count to two.\", \"output\": \"One, two.\", \"generator\": \"aligned\"}") + "\n");

    /// <summary>A URIAL prompt with one short example, so prompts fit the fixture's 256-token context.</summary>
    private string TinyPrompt(string query = "Name a fruit.") => _dir.Write("tiny.txt", $"# Query:\n```\n{query}\n```\n\n# Answer:\n```\nAn apple.\n```\n");

    private string[] Base(string output) =>
        ["pluralism", "sample", "--model", models.Spm, "--data", Data(), "--out", output, "--samples", "2", "--temperature", "1", "--max-new-tokens", "4", "--threads", "1"];

    private static List<JsonElement> Lines(string path) => [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public async Task Dynamic_knn_with_summaries_runs_resumes_without_new_work_and_refuses_another_k()
    {
        var summaryRequests = 0;
        var asked = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await FakeJudgeServer.StartAsync(body =>
        {
            Interlocked.Increment(ref summaryRequests);
            asked.Enqueue(FakeJudgeServer.Prompt(body));
            return "A short hint.";
        });
        var output = _dir.File("dynamic.jsonl");
        var teacher = Teacher();
        string[] args = [.. Base(output), "--prompt", "zero", "--icl", "dynamic+summary", "--selection", "knn-query", "--icl-k", "2", "--teacher", teacher,
            "--embedder", models.Spm, "--summarizer", server.Reference];
        var (code, stdout, stderr) = await CliRunner.RunAsync(args);
        Assert.True(code == 0, stderr);
        Assert.Equal(output + "\n", stdout);

        var lines = Lines(output);
        Assert.Equal(["\"a\"", "7"], lines.Select(l => l.GetProperty("id").GetRawText()));
        Assert.All(lines, l => Assert.Equal("spm+URIAL=zero+ICL=dynamic:knn-query:2+summary", l.GetProperty("generator").GetString()));
        Assert.All(lines, l => Assert.Equal(2, l.GetProperty("samples").GetArrayLength()));

        // The teacher's four queries are embedded once each (the data's two are among them).
        var embeddings = Lines(_dir.File("dynamic.embeddings.jsonl"));
        Assert.Equal(4, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(embeddings[0].GetProperty("embedding").GetArrayLength(), e.GetProperty("embedding").GetArrayLength()));
        // Each target shows two of the other three answers and its own hint: every answer summarized at most once.
        var summaries = Lines(_dir.File("dynamic.summaries.jsonl"));
        Assert.InRange(summaries.Count, 3, 4);
        Assert.Equal(summaries.Count, summaryRequests);
        Assert.All(summaries, s => Assert.Equal("A short hint.", s.GetProperty("summary").GetString()));
        // Target 7's hint is always asked for, in the summarizer's one user message.
        Assert.Contains("Summarize the answer below in 2 to 3 sentences. Keep its main points, its stance and its structure in brief, and write only the summary."
            + "\n\nQuery:\nSay hello.\n\nAnswer:\nHello!", asked);
        Assert.Contains($"pluralism sample: 4 texts embedded and {summaries.Count} answers summarized now (the rest from the caches)\n", stderr, StringComparison.Ordinal);

        var options = JsonNode.Parse(File.ReadAllText(_dir.File("dynamic.run.json")))!["options"]!;
        Assert.Equal("urial-icl", options["format"]!.GetValue<string>());
        Assert.Equal("dynamic+summary", options["icl"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(teacher))), options["teacher_sha256"]!.GetValue<string>());
        Assert.Equal(2, options["icl_k"]!.GetValue<int>());
        Assert.Equal("knn-query", options["selection"]!.GetValue<string>());
        Assert.Equal($"{models.Spm} layer 2 mean", options["embedder"]!.GetValue<string>());
        Assert.Equal(server.Reference, options["summarizer"]!.GetValue<string>());
        Assert.Equal(Path.GetFullPath(teacher), options["teacher"]!.GetValue<string>());

        var before = File.ReadAllText(output);
        (code, _, stderr) = await CliRunner.RunAsync(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("pluralism sample: 2 instructions: 0 answered now, 2 before, 0 skipped\n", stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(output));
        Assert.Equal(summaries.Count, summaryRequests);

        string[] otherK = [.. args[..^8], "--icl-k", "1", .. args[^6..]];
        (code, _, stderr) = await CliRunner.RunAsync(otherK);
        Assert.Equal(1, code);
        Assert.Contains("was written with icl_k 2, not 1", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Teacher_answers_the_prompt_s_example_queries()
    {
        var output = _dir.File("teacher.jsonl.out.jsonl");
        var (code, _, stderr) = await CliRunner.RunAsync([.. Base(output), "--prompt", TinyPrompt(), "--icl", "teacher", "--teacher", Teacher()]);
        Assert.True(code == 0, stderr);
        Assert.All(Lines(output), l => Assert.Equal("spm+URIAL=tiny+ICL=teacher", l.GetProperty("generator").GetString()));
        var options = JsonNode.Parse(File.ReadAllText(_dir.File("teacher.jsonl.out.run.json")))!["options"]!;
        Assert.Equal("teacher", options["icl"]!.GetValue<string>());
        Assert.Null(options["icl_k"]);
        Assert.False(File.Exists(_dir.File("teacher.jsonl.out.summaries.jsonl")));
    }

    [Fact]
    public async Task A_local_chat_model_summarizes_through_its_chat_template()
    {
        var output = _dir.File("hinted.jsonl");
        var (code, _, stderr) = await CliRunner.RunAsync([.. Base(output), "--prompt", "zero", "--icl", "urial+summary", "--teacher", Teacher(),
            "--summarizer", models.Spm, "--summary-cache", _dir.File("shared/summaries.jsonl")]);
        Assert.True(code == 0, stderr);
        // The zero prompt has no examples: one hint per target, the summary of the teacher's answer to it.
        var summaries = Lines(_dir.File("shared/summaries.jsonl"));
        Assert.Equal(2, summaries.Count);
        var sha = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(models.Spm)));
        Assert.All(summaries, s => Assert.Equal(sha, s.GetProperty("summarizer").GetString()));
        Assert.Contains("pluralism sample: 2 instructions: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_example_query_the_teacher_lacks_is_one_line_naming_it()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync([.. Base(_dir.File("x.jsonl")), "--prompt", TinyPrompt("Name a\nvegetable."), "--icl", "teacher",
            "--teacher", Teacher()]);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal($"error: {_dir.File("teacher.jsonl")}: the teacher has no answer to the query 'Name a\\nvegetable.' (an example query of prompt 'tiny')\n", stderr);
        Assert.False(File.Exists(_dir.File("x.jsonl")));
    }

    [Fact]
    public async Task A_target_the_teacher_lacks_is_named_before_anything_is_summarized()
    {
        var teacher = _dir.Write("partial.jsonl", "{\"id\": \"a\", \"instruction\": \"Name a colour.\", \"output\": \"Blue.\"}\n");
        var (code, _, stderr) = await CliRunner.RunAsync([.. Base(_dir.File("y.jsonl")), "--prompt", "zero", "--icl", "urial+summary", "--teacher", teacher,
            "--summarizer", models.Spm]);
        Assert.Equal(1, code);
        Assert.Equal($"error: {teacher}: the teacher has no answer to the query 'Say hello.' (instruction 7 of the data, whose summary the summary variant shows)\n", stderr);
        Assert.Equal("", File.Exists(_dir.File("y.summaries.jsonl")) ? File.ReadAllText(_dir.File("y.summaries.jsonl")) : "");
        Assert.False(File.Exists(_dir.File("y.jsonl")));
    }

    [Fact]
    public async Task Icl_urial_is_the_run_without_icl_and_continues_it()
    {
        var output = _dir.File("plain.jsonl");
        var (code, _, stderr) = await CliRunner.RunAsync([.. Base(output), "--prompt", "zero", "--limit", "1"]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await CliRunner.RunAsync([.. Base(output), "--prompt", "zero", "--icl", "urial"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("pluralism sample: 2 instructions: 1 answered now, 1 before, 0 skipped\n", stderr, StringComparison.Ordinal);
        Assert.All(Lines(output), l => Assert.Equal("spm+URIAL=zero", l.GetProperty("generator").GetString()));
        var options = JsonNode.Parse(File.ReadAllText(_dir.File("plain.run.json")))!["options"]!;
        Assert.Equal(("urial", "urial"), (options["format"]!.GetValue<string>(), options["icl"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_summary_cache_that_is_the_run_s_own_answers_file_is_a_usage_error()
    {
        var output = _dir.File("self.jsonl");
        var (code, _, stderr) = await CliRunner.RunAsync([.. Base(output), "--prompt", "zero", "--icl", "urial+summary", "--teacher", Teacher(),
            "--summarizer", models.Spm, "--summary-cache", output]);
        Assert.Equal(2, code);
        Assert.Equal($"error: pluralism sample: --summary-cache {output} is a file of the run itself: give the cache a name of its own\n", stderr);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--icl dynamic --selection knn-query --teacher T", "--selection knn-query needs --embedder MODEL")]
    [InlineData("--icl teacher --icl-k 2 --teacher T", "--icl-k applies only to --icl dynamic")]
    [InlineData("--icl dynamic --icl-k 0 --teacher T", "--icl-k 0 must be at least 1")]
    [InlineData("--icl dynamic --selection nearest --teacher T", "--selection: unknown selection 'nearest': expected one of random, knn-query, knn-answer")]
    [InlineData("--icl teacher --prompt chat --teacher T", "--icl builds a base model's URIAL prompt: it cannot be combined with --prompt chat")]
    [InlineData("--icl teacher", "--icl teacher needs --teacher FILE")]
    [InlineData("--icl summary --teacher T", "--icl teacher+summary needs --summarizer MODEL")]
    [InlineData("--icl teacher --teacher T --embedder M", "--embedder applies only to --icl dynamic with --selection knn-query or knn-answer")]
    [InlineData("--icl teacher --teacher T --summarizer M", "--summarizer applies only to a +summary variant of --icl")]
    [InlineData("--teacher T", "--teacher applies only to --icl teacher, dynamic or a +summary variant")]
    [InlineData("--icl wild", "--icl: unknown in-context variant 'wild': expected one of urial, teacher, dynamic, summary, urial+summary, teacher+summary, dynamic+summary")]
    [InlineData("--icl teacher --teacher T --prompt zero",
        "prompt 'zero' has no example queries for the teacher to answer: use a prompt with examples (such as stylistic) or the dynamic variant")]
    public async Task Options_that_do_not_fit_together_are_usage_errors(string options, string message)
    {
        var teacher = Teacher();
        var args = options.Split(' ').Select(a => a == "T" ? teacher : a == "M" ? models.Spm : a);
        var (code, _, stderr) = await CliRunner.RunAsync([.. Base(_dir.File("z.jsonl")), .. args]);
        Assert.Equal(2, code);
        Assert.Equal($"error: pluralism sample: {message}\n", stderr);
    }
}
