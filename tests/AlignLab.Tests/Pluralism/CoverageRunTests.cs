using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Tests.Support;
using AlignLab.Pluralism;
using AlignLab.Pluralism.Coverage;
using AlignLab.Server.Tests.Support;
using AlignLab.Tests.JustEval;

namespace AlignLab.Tests.Pluralism;

/// <summary>The coverage judge end to end against a scripted OpenAI-compatible judge: asking, parsing, retrying, caching and aggregating.</summary>
public sealed class CoverageRunTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Output => _dir.File("out");

    /// <summary>Two instructions; the second is a contentious yes/no question. The reference always says yes; the base says no once and both once.</summary>
    private (SampleSet Reference, SampleSet Alternative) Sets()
    {
        var reference = SampleSet.Read(_dir.Write("chat.jsonl",
            "{\"id\": 1, \"instruction\": \"Question one?\", \"samples\": [{\"output\": \"Chat one A.\"}, {\"output\": \"Chat one B.\"}]}\n"
            + "{\"id\": \"q2\", \"instruction\": \"Question two?\", \"samples\": [{\"output\": \"Chat says yes indeed.\"}, {\"output\": \"Chat says yes surely.\"}]}\n"));
        var alternative = SampleSet.Read(_dir.Write("base.jsonl",
            "{\"id\": 1, \"instruction\": \"Question one?\", \"samples\": [{\"output\": \"Base one A.\"}, {\"output\": \"Base one B.\"}]}\n"
            + "{\"id\": \"q2\", \"instruction\": \"Question two?\", \"samples\": [{\"output\": \"Base says no way.\"}, {\"output\": \"Base weighs both sides.\"}]}\n"));
        return (reference, alternative);
    }

    private static string TaskOf(JsonElement body)
    {
        var prompt = ScriptedJudge.Prompt(body);
        return prompt.Contains("How much of it is missing", StringComparison.Ordinal) ? "missing"
            : prompt.Contains("List the topics", StringComparison.Ordinal) ? "topics"
            : prompt.Contains("Classify the answer's stance", StringComparison.Ordinal) ? "stance"
            : throw new InvalidOperationException("unknown prompt: " + prompt);
    }

    /// <summary>Well-formed replies, wrapped in the ways judges wrap them: missing 2 and "4"; topics A, B, both (one) and B, B, both, a (two); stances by the answer's words.</summary>
    private static Reply WellFormed(JsonElement body)
    {
        var prompt = ScriptedJudge.Prompt(body);
        var two = prompt.Contains("Question two?", StringComparison.Ordinal);
        return ScriptedJudge.Chat(TaskOf(body) switch
        {
            "missing" => two ? "{\"missing\": {\"reason\": \"lacks the caveat\", \"score\": \"4\"}}" : "```json\n{\"missing\": {\"reason\": \"small gap\", \"score\": 2}}\n```",
            "topics" => two
                ? "Here are the topics: {\"topics\": [{\"topic\": \"cost\", \"in\": \"B\"}, {\"topic\": \"risk\", \"in\": \"Answer B\"}, {\"topic\": \"law\", \"in\": \"Both\"}, {\"topic\": \"ethics\", \"in\": \"a\"}]} Hope this helps."
                : "{\"topics\": [{\"topic\": \"t1\", \"in\": \"A\"}, {\"topic\": \"t2\", \"in\": \"B\"}, {\"topic\": \"t3\", \"in\": \"both\"}]}",
            _ => prompt.Contains("says yes", StringComparison.Ordinal) ? "{\"stance\": \"Yes.\", \"reason\": \"agrees\"}"
                : prompt.Contains("no way", StringComparison.Ordinal) ? "{\"stance\": \"no\", \"reason\": \"disagrees\"}"
                : "{\"stance\": \"BOTH\", \"reason\": \"weighs\"}",
        });
    }

    private async Task<CoverageRunResult?> RunAsync(RecordedServer server, SampleSet reference, SampleSet alternative, int? maxRequests = null)
    {
        using var judge = LanguageModels.Open(ScriptedJudge.Reference,
            remote: new RemoteModelOptions { Handler = server, RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 1, Concurrency = 2 });
        var settings = new CoverageSettings
        {
            Judge = ScriptedJudge.Reference,
            CachePath = _dir.File("judge-cache.jsonl"),
            Concurrency = 2,
            MaxRequests = maxRequests,
            StanceIds = new HashSet<string>(["\"q2\""]),
        };
        return await PluralismMeasureRun.ExecuteAsync(
            new MeasureJob { Reference = reference, Alternatives = [alternative], OutputDirectory = Output, Coverage = new CoverageJudgeJob(judge, settings) },
            cancel: TestContext.Current.CancellationToken);
    }

    private static int ChatRequests(RecordedServer server) => server.Requests.Count(r => r.Route == "POST /v1/chat/completions");

    private JsonNode Summary() => JsonNode.Parse(File.ReadAllText(Path.Combine(Output, PluralismMeasureRun.SummaryFile)))!;

    private static double Mean(JsonNode summary, string set, string measure) => summary["models"]![set]![measure]!["mean"]!.GetValue<double>();

    [Fact]
    public async Task Verdicts_are_aggregated_per_model_and_a_rerun_asks_nothing()
    {
        var (reference, alternative) = Sets();
        var server = ScriptedJudge.Server(WellFormed);
        var result = await RunAsync(server, reference, alternative);

        // missing + topics for each of 2 instructions, for the base and for the reference's second sample (the baseline),
        // and a stance for each of 2 samples of 2 sets on the one question.
        Assert.Equal(4 + 4 + 4, ChatRequests(server));
        Assert.Equal((12, 12, 0, 0, 0), (result!.Items, result.Judged, result.Cached, result.Failures.Count, result.Pending));
        var summary = Summary();
        Assert.Equal(3.0, Mean(summary, "base", "coverage_missing"));
        Assert.Equal((1.0 / 3 + 1.0 / 4) / 2, Mean(summary, "base", "topics_reference_only"), 12);
        Assert.Equal((1.0 / 3 + 2.0 / 4) / 2, Mean(summary, "base", "topics_alternative_only"), 12);
        Assert.Equal((1.0 / 3 + 1.0 / 4) / 2, Mean(summary, "base", "topics_both"), 12);
        Assert.Equal(1.0, Mean(summary, "chat", "stance_yes"));
        Assert.Equal(0.0, Mean(summary, "chat", "stance_no"));
        Assert.Equal((0.0, 0.5, 0.5, 0.0), (Mean(summary, "base", "stance_yes"), Mean(summary, "base", "stance_no"), Mean(summary, "base", "stance_both"), Mean(summary, "base", "stance_other")));
        Assert.Equal(3.0, Mean(summary, "chat", "coverage_missing"));
        var totals = summary["coverage"]!["totals"]!;
        Assert.Equal((2, 3, 2), (totals["base"]!["topics"]!["reference"]!.GetValue<int>(), totals["base"]!["topics"]!["alternative"]!.GetValue<int>(), totals["base"]!["topics"]!["both"]!.GetValue<int>()));
        Assert.Equal(2, totals["chat"]!["stances"]!["yes"]!.GetValue<int>());
        Assert.Equal((12, 12 * ScriptedJudge.PromptTokens), (summary["coverage"]!["usage"]!["requests"]!.GetValue<int>(), summary["coverage"]!["usage"]!["prompt_tokens"]!.GetValue<int>()));

        var lines = File.ReadAllLines(Path.Combine(Output, PluralismMeasureRun.InstructionsFile)).Select(l => JsonNode.Parse(l)!).ToList();
        var judged = lines[1]["models"]!["base"]!["judge"]!;
        Assert.Equal(4, judged["missing"]!["score"]!.GetValue<int>());
        Assert.Equal("lacks the caveat", judged["missing"]!["reason"]!.GetValue<string>());
        Assert.Equal(["alternative", "alternative", "both", "reference"], judged["topics"]!.AsArray().Select(t => t!["side"]!.GetValue<string>()));
        Assert.Equal(["no", "both"], judged["stance"]!.AsArray().Select(t => t!["stance"]!.GetValue<string>()));

        // The page's stance table: per set the answers of each stance, and the rate over the one question.
        var html = File.ReadAllText(Path.Combine(Output, PluralismMeasureRun.ReportFile));
        Assert.Contains("<tr><td>base</td><td class=\"num\">0; 0.000 [0.000, 0.000] (1)</td><td class=\"num\">1; 0.500 [0.500, 0.500] (1)</td>"
            + "<td class=\"num\">1; 0.500 [0.500, 0.500] (1)</td><td class=\"num\">0; 0.000 [0.000, 0.000] (1)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>chat (second sample, baseline)</td><td class=\"num\">3.000 [2.000, 4.000] (2)</td></tr>", html, StringComparison.Ordinal);

        // The same run again, after a kill tore a last line: every verdict comes from the cache.
        File.AppendAllText(_dir.File("judge-cache.jsonl"), "{\"key\": \"torn");
        var again = ScriptedJudge.Server(WellFormed);
        var rerun = await RunAsync(again, reference, alternative);
        Assert.Equal(0, ChatRequests(again));
        Assert.Equal((12, 0), (rerun!.Cached, rerun.Usage.Requests));
        Assert.Equal(summary["models"]!.ToJsonString(), Summary()["models"]!.ToJsonString());
    }

    [Fact]
    public async Task An_unreadable_reply_is_retried_once_then_recorded_as_a_failure_and_asked_again_next_run()
    {
        var (reference, alternative) = Sets();
        // Missing: prose first, a valid object on the retry. Topics: never a list. Stances: fine.
        var server = ScriptedJudge.Server(body => TaskOf(body) switch
        {
            "missing" when !ScriptedJudge.IsRetry(body) => ScriptedJudge.Chat("I think about three."),
            "missing" => ScriptedJudge.Chat("{\"missing\": {\"reason\": \"r\", \"score\": 3}}"),
            "topics" => ScriptedJudge.Chat("{\"topics\": \"cost, risk\"}"),
            _ => WellFormed(body),
        });
        var result = await RunAsync(server, reference, alternative);

        // Two pairs (base, and the reference's baseline) on 2 instructions: each missing and topics question asked twice.
        Assert.Equal((2 * 2 * 2) + (2 * 2 * 2) + 4, ChatRequests(server));
        Assert.Equal((8, 4), (result!.Judged, result.Failures.Count));
        Assert.All(result.Failures, f => Assert.Equal("no usable reply after a retry: no \"topics\" list", f.Reason));
        var retry = server.Requests.First(r => r.Body is { } b && TaskOf(b) == "missing" && ScriptedJudge.IsRetry(b)).Body!.Value;
        Assert.Contains("the reply holds no JSON object", ScriptedJudge.Messages(retry)[^1].Content, StringComparison.Ordinal);
        var summary = Summary();
        Assert.Equal(3.0, Mean(summary, "base", "coverage_missing"));
        Assert.Null(summary["models"]!["base"]!["topics_both"]);
        Assert.Equal(4, summary["coverage"]!["failed"]!.GetValue<int>());
        Assert.Equal("topics", summary["coverage"]!["failures"]![0]!["task"]!.GetValue<string>());
        var line = JsonNode.Parse(File.ReadAllLines(Path.Combine(Output, PluralismMeasureRun.InstructionsFile))[0])!;
        Assert.StartsWith("no usable reply", line["models"]!["base"]!["judge"]!["topics"]!["failure"]!.GetValue<string>(), StringComparison.Ordinal);

        // Only the failures are asked again.
        var again = ScriptedJudge.Server(WellFormed);
        var rerun = await RunAsync(again, reference, alternative);
        Assert.Equal((4, 8, 0), (ChatRequests(again), rerun!.Cached, rerun.Failures.Count));
    }

    [Fact]
    public async Task The_request_cap_leaves_questions_pending()
    {
        var (reference, alternative) = Sets();
        var server = ScriptedJudge.Server(WellFormed);
        var result = await RunAsync(server, reference, alternative, maxRequests: 3);
        Assert.Equal(3, ChatRequests(server));
        Assert.Equal((3, 9, 0), (result!.Judged, result.Pending, result.Failures.Count));
        Assert.Equal(9, Summary()["coverage"]!["pending"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"missing\": {\"reason\": \"r\", \"score\": \"N/A\"}}", "missing: the score must be a whole number from 1 to 5, not N/A")]
    [InlineData("{\"missing\": {\"reason\": \"r\", \"score\": 2.5}}", "missing: the score must be a whole number from 1 to 5, not 2.5")]
    [InlineData("{\"missing\": {\"reason\": \"r\", \"score\": 7}}", "missing: the score 7 is not within 1 to 5")]
    public void Missing_scores_must_be_whole_numbers_from_one_to_five(string reply, string problem)
    {
        Assert.Null(CoverageReplyParser.Parse(CoverageTask.Missing, reply, out var found));
        Assert.Equal(problem, found);
    }

    [Theory]
    [InlineData("{\"topics\": [{\"topic\": \"x\", \"in\": \"A\"}, {\"topic\": \"y\", \"in\": \"C\"}]}", "topic 1 is not {\"topic\": string, \"in\": \"A\", \"B\" or \"both\"}")]
    [InlineData("{\"stance\": \"perhaps\"}", "the stance \"perhaps\" is not yes, no, both or other")]
    [InlineData("", "the reply is empty")]
    public void Unusable_topics_and_stances_name_the_problem(string reply, string problem)
    {
        var task = reply.Contains("topics", StringComparison.Ordinal) ? CoverageTask.Topics : CoverageTask.Stance;
        Assert.Null(CoverageReplyParser.Parse(task, reply, out var found));
        Assert.Equal(problem, found);
    }

    [Fact]
    public void Placeholders_in_answers_stay_as_written()
    {
        var turns = CoveragePrompts.Conversation(CoverageTask.Missing, "Q {{answer_b}}", "ref {{instruction}}", "alt");
        var user = turns[^1].Content;
        Assert.Contains("Q {{answer_b}}", user, StringComparison.Ordinal);
        Assert.Contains("ref {{instruction}}", user, StringComparison.Ordinal);
        Assert.NotEqual(CoveragePrompts.Hash(CoverageTask.Missing, 1024), CoveragePrompts.Hash(CoverageTask.Topics, 1024));
        Assert.NotEqual(CoveragePrompts.Hash(CoverageTask.Missing, 1024), CoveragePrompts.Hash(CoverageTask.Missing, 512));
    }

    [Fact]
    public async Task A_damaged_cache_line_is_a_one_line_error_naming_it()
    {
        var (reference, alternative) = Sets();
        var key = CoveragePlan.Items(reference, [alternative], new CoverageSettings { Judge = ScriptedJudge.Reference, CachePath = "unused" })[0].Key;
        File.WriteAllText(_dir.File("judge-cache.jsonl"), $"{{\"key\": \"{key}\", \"task\": \"missing\", \"result\": {{\"score\": 9}}}}\n");
        var error = await Assert.ThrowsAsync<AlignLab.Data.DataFormatException>(() => RunAsync(ScriptedJudge.Server(WellFormed), reference, alternative));
        Assert.Equal(_dir.File("judge-cache.jsonl") + $": the cached entry \"{key}\" is damaged: expected {{\"task\": \"missing\" | \"topics\" | \"stance\", \"result\": that task's result}}", error.Message);
    }

    [Fact]
    public void Stance_data_names_reference_ids_only()
    {
        var (reference, _) = Sets();
        Assert.Equal(["\"q2\""], StanceData.Read(_dir.Write("stance.jsonl", "{\"id\": \"q2\", \"note\": \"contentious\"}\n"), reference));
        var unknown = _dir.Write("unknown.jsonl", "{\"id\": \"q2\"}\n{\"id\": 3}\n");
        Assert.Equal($"{unknown}:2: id 3 is not among the reference samples of chat",
            Assert.Throws<AlignLab.Data.DataFormatException>(() => StanceData.Read(unknown, reference)).Message);
    }
}
