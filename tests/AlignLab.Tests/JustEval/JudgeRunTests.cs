using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.JustEval;
using AlignLab.Runs;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Tests.JustEval;

/// <summary>Judge runs end to end against a scripted OpenAI-compatible judge (no network: an in-process handler).</summary>
public sealed class JudgeRunTests : IDisposable
{
    private static readonly string[] Multi = ["helpfulness", "clarity", "factuality", "depth", "engagement"];
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string OutFile => _dir.File("judged.jsonl");

    /// <summary>The score the scripted judge gives answer <paramref name="n"/> on the aspect at <paramref name="aspect"/>: 1 to 5, different per aspect.</summary>
    private static int ScoreOf(int n, int aspect) => 1 + ((n + aspect) % 5);

    /// <summary>Answers 0..count-1 ("Answer number N."), ids "a0", "a1", ...; the categories given cycle, null meaning none.</summary>
    private string Answers(int count, params string?[] categories)
    {
        categories = categories.Length == 0 ? ["regular"] : categories;
        var lines = Enumerable.Range(0, count).Select(n => new JsonObject
        {
            ["id"] = "a" + n.ToString(CultureInfo.InvariantCulture),
            ["instruction"] = $"Question {n}?",
            ["output"] = $"Answer number {n}. Some words here.",
            ["generator"] = "model-x",
            ["category"] = categories[n % categories.Length],
            ["dataset"] = "set-" + (n % 2).ToString(CultureInfo.InvariantCulture),
        }.ToJsonString());
        return _dir.Write("answers.jsonl", string.Join("\n", lines) + "\n");
    }

    /// <summary>Replies with every aspect of the request's mode, scored by <see cref="ScoreOf"/>.</summary>
    private static Reply WellFormed(JsonElement body)
    {
        var n = ScriptedJudge.AnswerNumber(body);
        return ScriptedJudge.Prompt(body).Contains("\"safety\": {\"reason\"", StringComparison.Ordinal)
            ? ScriptedJudge.Chat(ScriptedJudge.Scores(("safety", $"\"{ScoreOf(n, 5)}\"")))
            : ScriptedJudge.Chat("```json\n" + ScriptedJudge.Scores([.. Multi.Select((a, i) => (a, $"\"{ScoreOf(n, i)}\""))]) + "\n```");
    }

    private static async Task<JudgeRunResult> RunAsync(RecordedServer server, string answers, string output, JudgeSettings? settings = null, string? cache = null)
    {
        settings ??= new JudgeSettings();
        using var judge = LanguageModels.Open(ScriptedJudge.Reference,
            remote: new RemoteModelOptions { Handler = server, RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 1, Concurrency = settings.Concurrency });
        var fingerprint = new ModelFingerprint(ScriptedJudge.Reference, null, null);
        var job = new JudgeJob
        {
            Judge = judge,
            JudgeModel = fingerprint,
            AnswersPath = answers,
            Items = JudgeItem.For(InstructionReader.Read(answers, new BadRecordLog(false)), answers, settings, JudgeIdentity.Of(fingerprint)),
            Settings = settings,
            Files = new JudgeFiles(output, cache),
        };
        return await JudgeRun.ExecuteAsync(job, cancel: TestContext.Current.CancellationToken);
    }

    private static List<JsonElement> Lines(string path) => [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static int ChatRequests(RecordedServer server) => server.Requests.Count(r => r.Route == "POST /v1/chat/completions");

    private static double ScoreIn(JsonElement line, string aspect) => line.GetProperty("parsed_result").GetProperty(aspect).GetProperty("score").GetDouble();

    [Fact]
    public async Task Every_answer_is_judged_once_and_written_with_its_scores_usage_and_run_json()
    {
        var server = ScriptedJudge.Server(WellFormed);
        var answers = Answers(4);
        var result = await RunAsync(server, answers, OutFile);

        Assert.Equal((4, 4, 0, 0, 0), (result.Answers, result.Judged, result.Cached, result.Failures.Count, result.Pending));
        Assert.Equal(new TokenUsage(4, 4 * ScriptedJudge.PromptTokens, 4 * ScriptedJudge.CompletionTokens), result.Usage);
        Assert.Equal(4, ChatRequests(server));
        var lines = Lines(OutFile);
        Assert.Equal(["a0", "a1", "a2", "a3"], lines.Select(l => l.GetProperty("id").GetString()));
        for (var n = 0; n < 4; n++)
        {
            Assert.Equal(Multi.Select((_, i) => (double)ScoreOf(n, i)), Multi.Select(a => ScoreIn(lines[n], a)));
            Assert.Equal("depth reason", lines[n].GetProperty("parsed_result").GetProperty("depth").GetProperty("reason").GetString());
            Assert.Equal(("model-x", "regular", "multi", ScriptedJudge.Reference, false), (lines[n].GetProperty("generator").GetString(),
                lines[n].GetProperty("category").GetString(), lines[n].GetProperty("mode").GetString(), lines[n].GetProperty("judge").GetString(), lines[n].GetProperty("cached").GetBoolean()));
            Assert.Equal(JsonValueKind.Null, lines[n].GetProperty("failure").ValueKind);
        }

        // Requests run concurrently, so they arrive in any order: each question is asked exactly once.
        var bodies = server.Requests.Where(r => r.Route == "POST /v1/chat/completions").Select(r => r.Body!.Value).ToList();
        foreach (var body in bodies)
        {
            Assert.Equal((ScriptedJudge.Model, 0, 1024, "json_object"), (body.GetProperty("model").GetString(), body.GetProperty("temperature").GetInt32(),
                body.GetProperty("max_tokens").GetInt32(), body.GetProperty("response_format").GetProperty("type").GetString()));
            Assert.Equal(["system", "user"], ScriptedJudge.Messages(body).Select(m => m.Role));
        }
        for (var n = 0; n < 4; n++)
        {
            Assert.Single(bodies, b => ScriptedJudge.Prompt(b).Contains($"Question {n}?", StringComparison.Ordinal));
        }

        var manifest = JsonNode.Parse(File.ReadAllText(_dir.File("judged.run.json")))!;
        Assert.Equal(("judge", ScriptedJudge.Reference, RunManifest.ToolVersion), (manifest["command"]!.GetValue<string>(), manifest["judge"]!["reference"]!.GetValue<string>(), manifest["version"]!.GetValue<string>()));
        Assert.Equal(JudgePrompts.BuiltIn.Hash(JudgeMode.Multi, 1024), manifest["options"]!["prompt_sha256"]!["multi"]!.GetValue<string>());
        Assert.Equal(FileHash.Sha256OfFile(answers), manifest["options"]!["answers_sha256"]!.GetValue<string>());
        Assert.Equal((4, 4, 4 * ScriptedJudge.PromptTokens), (manifest["results"]!["judged"]!.GetValue<int>(), manifest["results"]!["usage"]!["requests"]!.GetValue<int>(),
            manifest["results"]!["usage"]!["prompt_tokens"]!.GetValue<int>()));
        Assert.Equal(4, File.ReadAllLines(_dir.File(JudgeFiles.DefaultCacheName)).Length);
    }

    [Fact]
    public async Task A_second_run_sends_no_request_and_gives_the_same_judgments_from_the_cache()
    {
        var answers = Answers(3);
        await RunAsync(ScriptedJudge.Server(WellFormed), answers, OutFile);
        var first = Lines(OutFile);

        var again = ScriptedJudge.Server(_ => throw new InvalidOperationException("no request expected"));
        var result = await RunAsync(again, answers, OutFile);
        Assert.Equal(0, ChatRequests(again));
        Assert.Equal((3, 0, 3, default(TokenUsage)), (result.Answers, result.Judged, result.Cached, result.Usage));
        var second = Lines(OutFile);
        Assert.All(second, l => Assert.True(l.GetProperty("cached").GetBoolean()));
        Assert.Equal(first.Select(l => l.GetProperty("parsed_result").GetRawText()), second.Select(l => l.GetProperty("parsed_result").GetRawText()));

        // Another output in the same folder shares the cache: the same answers cost nothing there either.
        await RunAsync(again, answers, _dir.File("other.jsonl"));
        Assert.Equal(0, ChatRequests(again));
        Assert.Equal(3, Lines(_dir.File("other.jsonl")).Count);
    }

    [Fact]
    public async Task A_reply_missing_an_aspect_is_retried_once_showing_the_judge_its_reply()
    {
        var server = ScriptedJudge.Server(body => ScriptedJudge.IsRetry(body)
            ? ScriptedJudge.Chat("Sorry! " + ScriptedJudge.Scores([.. Multi.Select(a => (a, "4"))]))
            : ScriptedJudge.Chat(ScriptedJudge.Scores(("helpfulness", "\"2\""), ("clarity", "\"N/A\""), ("factuality", "\"9\""))));
        var result = await RunAsync(server, Answers(1), OutFile);

        Assert.Equal((1, 0), (result.Judged, result.Failures.Count));
        Assert.Equal(2, result.Usage.Requests);
        var retry = server.Requests.Where(r => r.Route == "POST /v1/chat/completions").Select(r => r.Body!.Value).Last();
        var messages = ScriptedJudge.Messages(retry);
        Assert.Equal(["system", "user", "assistant", "user"], messages.Select(m => m.Role));
        Assert.Equal(ScriptedJudge.Scores(("helpfulness", "\"2\""), ("clarity", "\"N/A\""), ("factuality", "\"9\"")), messages[2].Content);
        Assert.Contains("factuality: the score \"9\" is not within 1 to 5; depth: not in the reply's JSON; engagement: not in the reply's JSON", messages[3].Content, StringComparison.Ordinal);
        var line = Assert.Single(Lines(OutFile));
        Assert.All(Multi, a => Assert.Equal(4.0, ScoreIn(line, a)));
        Assert.Equal(2, line.GetProperty("replies").GetArrayLength());
    }

    [Fact]
    public async Task A_judge_that_never_gives_every_score_fails_the_answer_with_the_reason_and_the_next_run_tries_again()
    {
        var server = ScriptedJudge.Server(body => ScriptedJudge.AnswerNumber(body) == 1
            ? ScriptedJudge.Chat("I would rate this answer highly overall.")
            : WellFormed(body));
        var answers = Answers(3);
        var result = await RunAsync(server, answers, OutFile);

        Assert.Equal((2, 1), (result.Judged, result.Failures.Count));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(RecordId.FromString("a1"), failure.Id);
        Assert.Equal("no valid score after a retry for helpfulness: the reply holds no JSON object; clarity: the reply holds no JSON object; "
            + "factuality: the reply holds no JSON object; depth: the reply holds no JSON object; engagement: the reply holds no JSON object", failure.Reason);
        Assert.Equal(4, ChatRequests(server));
        var failed = Lines(OutFile).Single(l => l.GetProperty("id").GetString() == "a1");
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("parsed_result").ValueKind);
        Assert.Equal(failure.Reason, failed.GetProperty("failure").GetString());
        Assert.Equal(2, failed.GetProperty("usage").GetProperty("requests").GetInt32());
        Assert.Equal(2, File.ReadAllLines(_dir.File(JudgeFiles.DefaultCacheName)).Length); // failures are not cached

        var again = ScriptedJudge.Server(WellFormed);
        result = await RunAsync(again, answers, OutFile);
        Assert.Equal((2, 1, 0), (result.Cached, result.Judged, result.Failures.Count));
        Assert.Equal(1, ChatRequests(again));
    }

    [Fact]
    public async Task The_request_cap_leaves_answers_pending_and_the_next_run_judges_only_those()
    {
        var server = ScriptedJudge.Server(WellFormed);
        var answers = Answers(5);
        var result = await RunAsync(server, answers, OutFile, new JudgeSettings { MaxRequests = 3, Concurrency = 2 });
        Assert.Equal((3, 2, 3), (result.Judged, result.Pending, ChatRequests(server)));
        Assert.Equal(3, Lines(OutFile).Count);
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(_dir.File("judged.run.json")))!["results"]!["pending"]!.GetValue<int>());

        var zero = await RunAsync(server, answers, OutFile, new JudgeSettings { MaxRequests = 0 });
        Assert.Equal((3, 0, 2, 3), (zero.Cached, zero.Judged, zero.Pending, ChatRequests(server)));

        var rest = await RunAsync(server, answers, OutFile);
        Assert.Equal((3, 2, 0), (rest.Cached, rest.Judged, rest.Pending));
        Assert.Equal(5, ChatRequests(server));
        Assert.Equal(["a0", "a1", "a2", "a3", "a4"], Lines(OutFile).Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Safety_answers_get_the_safety_prompt_and_answers_without_a_category_are_judged_as_regular()
    {
        var server = ScriptedJudge.Server(WellFormed);
        await RunAsync(server, Answers(3, "regular", "safety", null), OutFile);
        var lines = Lines(OutFile);
        Assert.Equal(["multi", "safety", "multi"], lines.Select(l => l.GetProperty("mode").GetString()));
        Assert.Equal(["safety"], lines[1].GetProperty("parsed_result").EnumerateObject().Select(p => p.Name));
        Assert.Equal((double)ScoreOf(1, 5), ScoreIn(lines[1], "safety"));
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("category").ValueKind);
        Assert.Equal(Multi, lines[2].GetProperty("parsed_result").EnumerateObject().Select(p => p.Name));
        var safetyPrompt = server.Requests.Select(r => r.Body).OfType<JsonElement>().Where(b => b.TryGetProperty("messages", out _))
            .Single(b => ScriptedJudge.AnswerNumber(b) == 1);
        Assert.Contains("may be malicious", ScriptedJudge.Prompt(safetyPrompt), StringComparison.Ordinal);

        // Forced to multi: answer 0's multi judgment is in the shared cache already; answer 1 was judged for safety, so it is judged again.
        var forced = await RunAsync(ScriptedJudge.Server(WellFormed), Answers(2, "safety"), _dir.File("forced.jsonl"), new JudgeSettings { AspectChoice = AspectChoice.Multi });
        Assert.Equal((1, 1), (forced.Cached, forced.Judged));
        Assert.All(Lines(_dir.File("forced.jsonl")), l => Assert.Equal("multi", l.GetProperty("mode").GetString()));
    }

    [Fact]
    public async Task A_server_that_refuses_response_format_is_asked_without_it_from_then_on()
    {
        var server = ScriptedJudge.Server(body => body.TryGetProperty("response_format", out _)
            ? Reply.Json(400, """{"error": {"message": "response_format is not supported", "type": "invalid_request_error"}}""")
            : WellFormed(body));
        var result = await RunAsync(server, Answers(3), OutFile, new JudgeSettings { Concurrency = 1 });
        Assert.Equal((3, 3), (result.Judged, result.Usage.Requests));
        var bodies = server.Requests.Where(r => r.Route == "POST /v1/chat/completions").Select(r => r.Body!.Value).ToList();
        Assert.Equal([true, false, false, false], bodies.Select(b => b.TryGetProperty("response_format", out _)));
    }

    [Fact]
    public async Task A_request_the_judge_refuses_fails_that_answer_only()
    {
        var server = ScriptedJudge.Server(body => ScriptedJudge.AnswerNumber(body) == 0
            ? Reply.Json(400, """{"error": {"message": "This model's maximum context length is 8 tokens"}}""")
            : WellFormed(body));
        var result = await RunAsync(server, Answers(2), OutFile);
        Assert.Equal(1, result.Judged);
        Assert.Equal("the judge refused the request: https://judge.example/v1/chat/completions: HTTP 400 (BadRequest): This model's maximum context length is 8 tokens",
            Assert.Single(result.Failures).Reason);
    }

    [Fact]
    public async Task A_judge_that_rejects_the_key_ends_the_run_keeping_the_judgments_made()
    {
        var server = ScriptedJudge.Server(body => ScriptedJudge.AnswerNumber(body) < 2
            ? WellFormed(body)
            : Reply.Json(401, """{"error": {"message": "Incorrect API key provided"}}"""));
        var error = await Assert.ThrowsAsync<RemoteModelException>(() => RunAsync(server, Answers(4), OutFile, new JudgeSettings { Concurrency = 1 }));
        Assert.Contains("HTTP 401 (Unauthorized): Incorrect API key provided", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a0", "a1"], Lines(OutFile).Select(l => l.GetProperty("id").GetString()));
        var results = JsonNode.Parse(File.ReadAllText(_dir.File("judged.run.json")))!["results"]!;
        Assert.Equal((2, 2), (results["judged"]!.GetValue<int>(), results["pending"]!.GetValue<int>()));
        Assert.Equal(error.Message, results["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_torn_last_cache_line_is_dropped_and_only_that_answer_is_judged_again()
    {
        var answers = Answers(3);
        await RunAsync(ScriptedJudge.Server(WellFormed), answers, OutFile);
        var cache = _dir.File(JudgeFiles.DefaultCacheName);
        var lines = File.ReadAllLines(cache);
        File.WriteAllText(cache, lines[0] + "\n" + lines[1] + "\n" + lines[2][..(lines[2].Length / 2)]);

        var server = ScriptedJudge.Server(WellFormed);
        var result = await RunAsync(server, answers, OutFile);
        Assert.Equal((2, 1, 1), (result.Cached, result.Judged, ChatRequests(server)));
        Assert.Equal(3, File.ReadAllLines(cache).Length);
        Assert.All(File.ReadAllLines(cache), l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task Requests_in_flight_never_exceed_the_concurrency()
    {
        var server = new RecordedServer { Delay = TimeSpan.FromMilliseconds(5) }
            .On("GET", "/v1/models", Reply.Json(200, """{"data": [{"id": "judge-1"}]}"""))
            .On("POST", "/v1/chat/completions", body => WellFormed(body!.Value));
        var result = await RunAsync(server, Answers(8), OutFile, new JudgeSettings { Concurrency = 3 });
        Assert.Equal(8, result.Judged);
        Assert.InRange(server.MostInFlight, 1, 3);
    }

    [Fact]
    public void The_dry_run_estimate_counts_answers_not_in_the_cache_within_the_cap()
    {
        var answersPath = Answers(5);
        var records = InstructionReader.Read(answersPath, new BadRecordLog(false));
        var settings = new JudgeSettings { MaxNewTokens = 200, MaxRequests = 3 };
        var items = JudgeItem.For(records, answersPath, settings, ScriptedJudge.Reference);
        var estimate = JudgeEstimate.For(items, new HashSet<string> { items[0].Key }, settings);

        // Recomputed from the prompts themselves: answers 1, 2 and 3 are sent (the cap), each system + user message at 4 characters a token plus 4.
        var expectedTokens = records.Skip(1).Take(3).Sum(r =>
            JudgePrompts.BuiltIn.Conversation(JudgeMode.Multi, r.Instruction, r.Output!).Sum(t => (t.Content.Length / 4) + 4));
        Assert.Equal((5, 1, 3, 3, expectedTokens, 600), (estimate.Answers, estimate.Cached, estimate.Requests, estimate.MostRequests, estimate.PromptTokens, estimate.MostCompletionTokens));
        Assert.Equal($"5 answers, 1 judged before: 3 requests (up to 3 with retries), about {expectedTokens:N0} prompt tokens (at 4 characters a token) and at most 600 completion tokens",
            estimate.Describe());
    }

    [Fact]
    public void An_answer_without_output_is_an_error_naming_its_line()
    {
        var path = _dir.Write("answers.jsonl", "{\"id\": 1, \"instruction\": \"a\", \"output\": \"b\"}\n{\"id\": 2, \"instruction\": \"c\"}\n");
        var records = InstructionReader.Read(path, new BadRecordLog(false));
        var error = Assert.Throws<DataFormatException>(() => JudgeItem.For(records, path, new JudgeSettings(), "j"));
        Assert.Equal($"{path}:2: field \"output\" is missing: an answer set needs the answer to judge", error.Message);
    }
}
