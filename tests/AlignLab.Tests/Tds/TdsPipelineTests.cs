using System.Text.Json;
using AlignLab.Backends;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Runs;
using AlignLab.Tds;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Tds;

public sealed class TdsPipelineTests(TdsRunFixture fixture) : IClassFixture<TdsRunFixture>
{
    private static readonly string[] DerivedFiles = [TdsFiles.Positions, TdsFiles.Skipped, TdsFiles.Summary, TdsFiles.PositionsCsv, TdsFiles.ExamplesCsv];

    private static List<JsonElement> Lines(string folder, string file = TdsFiles.Positions)
        => [.. File.ReadAllLines(Path.Combine(folder, file)).Select(l => JsonDocument.Parse(l).RootElement)];

    private static JsonElement Summary(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TdsFiles.Summary))).RootElement;

    private static IEnumerable<JsonElement> Tokens(IEnumerable<JsonElement> lines) => lines.SelectMany(l => l.GetProperty("tokens").EnumerateArray());

    [Fact]
    public void A_model_against_itself_through_its_chat_prompt_is_exactly_unshifted_with_zero_kl()
    {
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder, aligned: fixture.Models.Base) with { BasePrompt = "chat" });
        var tokens = Tokens(Lines(folder)).ToList();
        Assert.NotEmpty(tokens);
        Assert.All(tokens, t =>
        {
            Assert.Equal("unshifted", t.GetProperty("class").GetString());
            Assert.Equal(1, t.GetProperty("base_rank").GetInt32());
            Assert.Equal(t.GetProperty("aligned_logprob").GetRawText(), t.GetProperty("base_logprob").GetRawText());
            Assert.Equal(0.0, t.GetProperty("kl").GetDouble());
            Assert.Equal(0.0, t.GetProperty("kl_reverse").GetDouble());
            Assert.Equal(0.0, t.GetProperty("kl_topk").GetDouble());
            Assert.Equal(1.0, t.GetProperty("jaccard").GetDouble());
            Assert.Equal(t.GetProperty("aligned_top").GetRawText(), t.GetProperty("base_top").GetRawText());
            Assert.Equal(t.GetProperty("aligned_entropy").GetDouble(), t.GetProperty("base_entropy").GetDouble());
        });
        var summary = Summary(folder);
        Assert.Equal(1.0, summary.GetProperty("ratios").GetProperty("unshifted").GetDouble());
        Assert.Equal(0.0, summary.GetProperty("metrics").GetProperty("mean_kl").GetDouble());
    }

    [Fact]
    public void A_perturbed_copy_shifts_some_positions_and_classes_agree_with_ranks()
    {
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder) with { Analysis = new TdsAnalysisOptions { MaxNewTokens = 10, TopK = 5, MarginalMax = 3 } });
        var tokens = Tokens(Lines(folder)).ToList();
        var classes = tokens.Select(t => t.GetProperty("class").GetString()).ToList();
        Assert.Contains("shifted", classes);
        Assert.Contains("unshifted", classes);
        foreach (var t in tokens)
        {
            var rank = t.GetProperty("base_rank").GetInt32();
            Assert.Equal(rank == 1 ? "unshifted" : rank <= 3 ? "marginal" : "shifted", t.GetProperty("class").GetString());
            var baseTop = t.GetProperty("base_top").EnumerateArray().Select(e => e[0].GetInt32()).ToList();
            var at = baseTop.IndexOf(t.GetProperty("id").GetInt32());
            Assert.True(at < 0 ? rank > baseTop.Count : rank <= at + 1, $"rank {rank}, position {at} in the base top list");
            Assert.True(t.GetProperty("kl").GetDouble() > 0);
            Assert.True(t.GetProperty("kl_reverse").GetDouble() > 0);
        }
    }

    [Fact]
    public void Positions_agree_with_an_independent_scoring_of_both_sequences()
    {
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder));
        var line = Lines(folder)[0];
        var answer = line.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()).ToArray();
        var instruction = line.GetProperty("instruction").GetString()!;

        using var alignedFiles = LocalModel.Open(fixture.Models.Perturbed);
        using var baseFiles = LocalModel.Open(fixture.Models.Base);
        int[] alignedPrompt = Prompts.Chat(alignedFiles, alignedFiles.LoadTokenizer(), instruction);
        int[] basePrompt = Prompts.Plain(baseFiles.LoadTokenizer(), instruction);
        using var alignedModel = LlamaModel.Load(alignedFiles);
        using var baseModel = LlamaModel.Load(baseFiles);
        var aligned = alignedModel.Score([.. alignedPrompt, .. answer], 0, new ScoreOptions { TopK = 5, KeepLogProbs = true }, threads: 1);
        var based = baseModel.Score([.. basePrompt, .. answer], 0, new ScoreOptions { TopK = 5, KeepLogProbs = true }, threads: 1);
        var tokens = line.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(line.GetProperty("answer").GetString(), string.Concat(tokens.Select(t => t.GetProperty("text").GetString())));
        for (var j = 0; j < answer.Length; j++)
        {
            int pa = alignedPrompt.Length - 1 + j, pb = basePrompt.Length - 1 + j;
            var t = tokens[j];
            Assert.Equal(based.NextRank(pb), t.GetProperty("base_rank").GetInt32());
            Assert.Equal(based.NextLogProb(pb), t.GetProperty("base_logprob").GetSingle());
            Assert.Equal(aligned.NextLogProb(pa), t.GetProperty("aligned_logprob").GetSingle());
            Assert.Equal(1, aligned.NextRank(pa)); // the answer is greedy under the scoring pass
            Assert.Equal(based.TopIds(pb).ToArray(), t.GetProperty("base_top").EnumerateArray().Select(e => e[0].GetInt32()));
            var p = aligned.LogProbs(pa);
            var q = based.LogProbs(pb);
            double kl = 0, reverse = 0;
            for (var v = 0; v < p.Length; v++)
            {
                kl += Math.Exp(p[v]) * ((double)p[v] - q[v]);
                reverse += Math.Exp(q[v]) * ((double)q[v] - p[v]);
            }
            // Scored from position 0, the output head runs over other row groups, which may round the last bits differently.
            Assert.Equal(kl, t.GetProperty("kl").GetDouble(), 1e-6 * kl);
            Assert.Equal(reverse, t.GetProperty("kl_reverse").GetDouble(), 1e-6 * reverse);
            Assert.Equal(based.Entropy(pb), t.GetProperty("base_entropy").GetDouble(), 1e-6);
        }
    }

    [Fact]
    public void The_base_pass_is_one_forward_pass_per_example_over_its_prompt_and_the_answer()
    {
        var folder = fixture.NewFolder();
        var opened = new List<CountingModel>();
        ILanguageModel Open(string reference, LocalModelOptions options)
        {
            var model = new CountingModel(LocalLanguageModel.Open(reference, options));
            opened.Add(model);
            return model;
        }
        var progress = TdsRunFixture.Run(fixture.Options(folder) with { BasePrompt = "zero" }, Open);
        var baseModel = opened[0];
        var lines = Lines(folder);
        Assert.Equal(5, lines.Count);
        Assert.Equal(5, progress.Done.Count);
        Assert.Equal(0, baseModel.Generations);
        Assert.Equal(lines.Count, baseModel.Scored.Count);
        using var files = LocalModel.Open(fixture.Models.Base);
        var tokenizer = files.LoadTokenizer();
        for (var i = 0; i < lines.Count; i++)
        {
            var prompt = Prompts.Plain(tokenizer, ZeroFrame(lines[i].GetProperty("instruction").GetString()!));
            var answer = lines[i].GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32());
            Assert.Equal([.. prompt, .. answer], baseModel.Scored[i]);
            Assert.Equal(prompt.Length - 1, baseModel.ScoreStarts[i]);
        }
        // The aligned model: one generation and one scoring pass per example (no greedy repair was needed here).
        var aligned = opened.Last();
        Assert.Equal(lines.Count, aligned.Generations);
        Assert.Equal(lines.Count, aligned.Scored.Count);
    }

    // URIAL's query/answer frame, written out here independently of the prompt code.
    private static string ZeroFrame(string instruction) => "# Query:\n```\n" + instruction + "\n```\n\n# Answer:\n```\n";

    [Fact]
    public void A_urial_prompt_file_as_base_prompt_puts_the_file_then_the_query_frame_before_the_answer()
    {
        var file = AlignLab.Engine.Tests.Support.SharedFixtures.Require("data/urial/inst_help_v2.txt");
        var folder = fixture.NewFolder();
        var opened = new List<CountingModel>();
        ILanguageModel Open(string reference, LocalModelOptions options)
        {
            var model = new CountingModel(LocalLanguageModel.Open(reference, options));
            opened.Add(model);
            return model;
        }
        TdsRunFixture.Run(fixture.Options(folder) with { BasePrompt = file }, Open);
        var lines = Lines(folder);
        using var files = LocalModel.Open(fixture.Models.Base);
        var tokenizer = files.LoadTokenizer();
        var fileText = File.ReadAllText(file).TrimEnd();
        for (var i = 0; i < lines.Count; i++)
        {
            var answerLength = lines[i].GetProperty("tokens").GetArrayLength();
            var scored = opened[0].Scored[i];
            var promptText = tokenizer.Decode([.. scored.Take(scored.Count - answerLength)]);
            Assert.StartsWith(fileText, promptText.TrimStart(), StringComparison.Ordinal);
            Assert.EndsWith(ZeroFrame(lines[i].GetProperty("instruction").GetString()!), promptText, StringComparison.Ordinal);
        }
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "run.json")))!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))),
            manifest["options"]!["base_prompt_sha256"]!.GetValue<string>());
    }

    [Fact]
    public void The_summary_agrees_with_a_recomputation_from_positions_jsonl()
    {
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder) with { Analysis = new TdsAnalysisOptions { MaxNewTokens = 20, TopK = 5 } });
        SummaryCheck.AgreesWithPositions(folder);
    }

    [Fact]
    public void A_resumed_run_after_a_kill_mid_line_equals_an_uninterrupted_one()
    {
        var whole = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(whole));
        var resumed = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(resumed) with { Limit = 2 });
        // A kill -9 in the middle of writing the third example's line.
        var third = File.ReadAllLines(Path.Combine(whole, TdsFiles.Positions))[2];
        File.AppendAllText(Path.Combine(resumed, TdsFiles.Positions), third[..(third.Length / 2)]);
        var progress = TdsRunFixture.Run(fixture.Options(resumed));
        Assert.Equal(("perturbed", 5, 2), (progress.Models[0].Name, progress.Models[0].Examples, progress.Models[0].AlreadyDone));
        Assert.Equal(3, progress.Done.Count);
        foreach (var file in DerivedFiles)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(whole, file)), File.ReadAllText(Path.Combine(resumed, file)));
        }
        var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(resumed, RunManifest.FileName))).RootElement;
        Assert.Equal(2, run.GetProperty("timings").GetProperty("sessions").GetInt32());
        Assert.Equal(5, run.GetProperty("timings").GetProperty("by_model").GetProperty("perturbed").GetProperty("examples").GetInt32());
    }

    [Fact]
    public void Shards_merged_equal_one_run()
    {
        var whole = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(whole));
        var shards = Enumerable.Range(1, 2).Select(i =>
        {
            var folder = fixture.NewFolder();
            TdsRunFixture.Run(fixture.Options(folder) with { Shard = new Shard(i, 2) });
            return folder;
        }).ToList();
        Assert.Equal([0, 2, 4], Lines(shards[0]).Select(l => l.GetProperty("index").GetInt32()));
        var merged = fixture.NewFolder();
        TdsMerge.Run(shards, merged);
        foreach (var file in DerivedFiles)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(whole, file)), File.ReadAllText(Path.Combine(merged, file)));
        }
        var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, RunManifest.FileName))).RootElement;
        Assert.Equal(2, run.GetProperty("merged_from").GetArrayLength());
        var overlap = Assert.Throws<AlignLab.Data.DataFormatException>(() => TdsMerge.Run([shards[0], whole], fixture.NewFolder()));
        Assert.Contains("record index 0 is already at", overlap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_run_ends_by_writing_the_report_once_a_resumed_one_included()
    {
        var folder = fixture.NewFolder();
        var report = new RecordingReport();
        TdsRunFixture.Run(fixture.Options(folder) with { Limit = 1 }, report: report);
        TdsRunFixture.Run(fixture.Options(folder) with { Limit = 2 }, report: report);
        Assert.Equal([folder, folder], report.Folders);
        Assert.Equal(2, Lines(folder).Count);
    }

    [Fact]
    public void Resuming_with_other_options_is_refused_naming_the_option()
    {
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder) with { Limit = 1 });
        var error = Assert.Throws<AlignLab.Data.DataFormatException>(() => TdsRunFixture.Run(fixture.Options(folder) with { Analysis = new TdsAnalysisOptions { MaxNewTokens = 10, TopK = 4 } }));
        Assert.StartsWith(Path.Combine(folder, "run.json") + ": a run with top-k 5, not 4;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_mismatch_stops_before_any_work_naming_the_ids()
    {
        var folder = fixture.NewFolder();
        var error = Assert.Throws<ModelMismatchException>(() => TdsRunFixture.Run(fixture.Options(folder, aligned: fixture.Models.RenamedTokens)));
        Assert.Contains("first: id 100:", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Examples_that_do_not_fit_the_context_are_skipped_counted_and_listed()
    {
        var data = fixture.Models.WriteText("long.jsonl", "{\"id\": 1, \"instruction\": \"Short one.\"}\n{\"id\": 2, \"instruction\": \"" + string.Concat(Enumerable.Repeat("many words here ", 100)) + "\"}\n");
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder) with { Data = data, Tags = null });
        var skipped = Summary(folder).GetProperty("skipped");
        Assert.Equal(1, skipped.GetProperty("count").GetInt32());
        var item = skipped.GetProperty("items")[0];
        Assert.Equal(2, item.GetProperty("id").GetInt32());
        Assert.StartsWith("the aligned prompt (", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Summary(folder).GetProperty("examples").GetInt32());
    }

    [Fact]
    public void Use_outputs_teacher_forces_the_records_output_and_skips_records_without_one()
    {
        var folder = fixture.NewFolder();
        var opened = new List<CountingModel>();
        TdsRunFixture.Run(fixture.Options(folder) with { Analysis = new TdsAnalysisOptions { UseOutputs = true, TopK = 5 } }, (r, o) =>
        {
            var m = new CountingModel(LocalLanguageModel.Open(r, o));
            opened.Add(m);
            return m;
        });
        var lines = Lines(folder);
        Assert.Equal([0, 2, 3], lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.All(lines, l => Assert.Equal("output", l.GetProperty("answer_origin").GetString()));
        using var aligned = LocalLanguageModel.Open(fixture.Models.Perturbed);
        Assert.Equal(aligned.Tokenizer.Encode("Paris is the capital of France.", parseSpecial: false), lines[0].GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal(0, opened.Sum(m => m.Generations));
        var skipped = Lines(folder, TdsFiles.Skipped);
        Assert.Equal(["b", "4"], skipped.Select(s => s.GetProperty("id").ToString()));
        Assert.All(skipped, s => Assert.Contains("no output", s.GetProperty("reason").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Several_aligned_models_get_a_subfolder_each_and_run_json_lists_them()
    {
        var folder = fixture.NewFolder();
        TdsRunFixture.Run(fixture.Options(folder) with { Aligned = [fixture.Models.Perturbed, fixture.Models.Base], BasePrompt = "chat", Limit = 2 });
        Assert.False(File.Exists(Path.Combine(folder, TdsFiles.Positions)));
        Assert.Equal(2, Lines(Path.Combine(folder, "perturbed")).Count);
        var self = Tokens(Lines(Path.Combine(folder, "base"))).ToList();
        Assert.All(self, t => Assert.Equal("unshifted", t.GetProperty("class").GetString()));
        var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunManifest.FileName))).RootElement;
        Assert.Equal(["perturbed", "base"], run.GetProperty("aligned").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(FileHash.Sha256(fixture.Models.Perturbed), run.GetProperty("aligned")[0].GetProperty("sha256").GetString());
        Assert.Equal(FileHash.Sha256(fixture.Models.Base), run.GetProperty("base").GetProperty("sha256").GetString());
        Assert.Equal(3, run.GetProperty("seed").GetInt32());
        Assert.Equal("chat", run.GetProperty("options").GetProperty("base_prompt").GetString());
    }

    private sealed class RecordingReport : IRunReportWriter
    {
        public List<string> Folders { get; } = [];

        public void Write(string runDirectory) => Folders.Add(runDirectory);
    }
}
