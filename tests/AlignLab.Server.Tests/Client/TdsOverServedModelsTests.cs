using System.Text.Json;
using AlignLab.Reports;
using AlignLab.Server.Tests.Support;
using AlignLab.Tests.Tds;

namespace AlignLab.Server.Tests.Client;

/// <summary>
/// `tds` with both models behind alignlab serve gives what it gives with the same models loaded locally: the same
/// answers, classes and ranks, log-probabilities within 1e-4; only the statistics of whole distributions (exact
/// KL, entropies) are left out, and KL is over the top-k lists. Several examples are analysed at once, written in order.
/// </summary>
public sealed class TdsOverServedModelsTests(TdsRunFixture run) : IClassFixture<TdsRunFixture>
{
    [Fact]
    public async Task Tds_over_two_served_models_gives_the_local_classes_ranks_and_logprobs()
    {
        var local = run.NewFolder();
        TdsRunFixture.Run(run.Options(local));
        await using var baseServer = await ModelServer.StartAsync(new ServerOptions { Model = run.Models.Base, Port = 0, ServedModelName = "base", Threads = 1 }, TestContext.Current.CancellationToken);
        await using var alignedServer = await ModelServer.StartAsync(new ServerOptions { Model = run.Models.Perturbed, Port = 0, ServedModelName = "aligned", Threads = 1 }, TestContext.Current.CancellationToken);

        // Four examples at once: the aligned server is held before its first decoding step until all four
        // generation requests have arrived, so they certainly overlap.
        var served = run.NewFolder();
        var options = run.Options(served, aligned: alignedServer.ModelReference, baseModel: baseServer.ModelReference) with { Concurrency = 4 };
        alignedServer.Scheduler.PauseSteps();
        var running = Task.Run(() => TdsRunFixture.Run(options), TestContext.Current.CancellationToken);
        await ServedRuns.WaitForRequestsInFlightAsync(alignedServer, 4, running);
        alignedServer.Scheduler.ResumeSteps();
        await running;
        Assert.True(alignedServer.Stats.MostRequestsInFlight >= 4);
        AssertSameAnalysis(local, served);

        // One at a time gives the same files, line for line.
        var sequential = run.NewFolder();
        TdsRunFixture.Run(options with { Out = sequential, Concurrency = 1 });
        Assert.Equal(File.ReadAllText(Path.Combine(served, "positions.jsonl")), File.ReadAllText(Path.Combine(sequential, "positions.jsonl")));
        Assert.Equal(File.ReadAllText(Path.Combine(served, "positions.csv")), File.ReadAllText(Path.Combine(sequential, "positions.csv")));

        // KL is top-k only over served models, and the summary and the report say so.
        AssertKlKinds(local, served);

        // The same with local tokenizers for the served models (--base-tokenizer / --aligned-tokenizer), as with vLLM.
        var withTokenizers = run.NewFolder();
        TdsRunFixture.Run(run.Options(withTokenizers, aligned: alignedServer.ModelReference, baseModel: baseServer.ModelReference)
            with { BaseTokenizer = run.Models.Base, AlignedTokenizer = run.Models.Perturbed });
        AssertSameAnalysis(local, withTokenizers);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(withTokenizers, "run.json")));
        Assert.Equal(run.Models.Base, manifest.RootElement.GetProperty("options").GetProperty("base_tokenizer").GetString());
        Assert.Equal(run.Models.Perturbed, manifest.RootElement.GetProperty("options").GetProperty("aligned_tokenizer").GetString());
    }

    [Fact]
    public void Concurrency_above_one_with_a_local_model_is_refused_before_any_work()
    {
        var folder = run.NewFolder();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TdsRunFixture.Run(run.Options(folder, aligned: "http://127.0.0.1:9/v1#aligned") with { Concurrency = 2 }));
        Assert.Contains("needs the base and every aligned model served", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    /// <summary>
    /// The local run has exact KL (kl) and kl_topk; the served run kl null and kl_topk, equal to the local one (the same
    /// top-k lists within 1e-4); summary.json's kl_method says which, mean_kl_topk is the mean of the kl_topk values, and
    /// the report's data marks the served run as top-k only.
    /// </summary>
    private static void AssertKlKinds(string local, string served)
    {
        var want = Lines(Path.Combine(local, "positions.jsonl")).SelectMany(e => e.GetProperty("tokens").EnumerateArray()).ToList();
        var have = Lines(Path.Combine(served, "positions.jsonl")).SelectMany(e => e.GetProperty("tokens").EnumerateArray()).ToList();
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(JsonValueKind.Null, have[i].GetProperty("kl").ValueKind);
            Assert.Equal(JsonValueKind.Null, have[i].GetProperty("kl_reverse").ValueKind);
            // Null where the two top-k lists share no id.
            Assert.Equal(want[i].GetProperty("kl_topk").ValueKind, have[i].GetProperty("kl_topk").ValueKind);
            if (want[i].GetProperty("kl_topk").ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(want[i].GetProperty("kl_topk").GetDouble(), have[i].GetProperty("kl_topk").GetDouble(), 1e-3);
            }
        }
        using var localSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(local, "summary.json")));
        using var servedSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(served, "summary.json")));
        Assert.Equal("exact", localSummary.RootElement.GetProperty("kl_method").GetString());
        Assert.Equal("top_k", servedSummary.RootElement.GetProperty("kl_method").GetString());
        var metrics = servedSummary.RootElement.GetProperty("metrics");
        Assert.Equal(JsonValueKind.Null, metrics.GetProperty("mean_kl").ValueKind);
        Assert.Contains(have, t => t.GetProperty("kl_topk").ValueKind == JsonValueKind.Number);
        var known = have.Where(t => t.GetProperty("kl_topk").ValueKind == JsonValueKind.Number).ToList();
        Assert.Equal(known.Average(t => t.GetProperty("kl_topk").GetDouble()), metrics.GetProperty("mean_kl_topk").GetDouble(), 1e-12);
        var bins = servedSummary.RootElement.GetProperty("mean_kl_by_position").EnumerateArray().ToList();
        Assert.All(bins, b => Assert.Equal(JsonValueKind.Null, b.GetProperty("mean_kl").ValueKind));
        Assert.Contains(bins, b => b.GetProperty("mean_kl_topk").ValueKind == JsonValueKind.Number);

        Assert.Contains("\"kl_top_k_only\":true", File.ReadAllText(TdsReport.Write(served).Path), StringComparison.Ordinal);
        Assert.Contains("\"kl_top_k_only\":false", File.ReadAllText(TdsReport.Write(local).Path), StringComparison.Ordinal);
    }

    private static void AssertSameAnalysis(string local, string served)
    {
        var expected = Lines(Path.Combine(local, "positions.jsonl"));
        var got = Lines(Path.Combine(served, "positions.jsonl"));
        Assert.Equal(expected.Count, got.Count);
        Assert.NotEmpty(expected);
        var positions = 0;
        for (var e = 0; e < expected.Count; e++)
        {
            Assert.Equal(expected[e].GetProperty("id").GetRawText(), got[e].GetProperty("id").GetRawText());
            Assert.Equal(expected[e].GetProperty("answer").GetString(), got[e].GetProperty("answer").GetString());
            var want = expected[e].GetProperty("tokens").EnumerateArray().ToList();
            var have = got[e].GetProperty("tokens").EnumerateArray().ToList();
            Assert.Equal(want.Count, have.Count);
            for (var i = 0; i < want.Count; i++, positions++)
            {
                Assert.Equal(want[i].GetProperty("id").GetInt32(), have[i].GetProperty("id").GetInt32());
                Assert.Equal(want[i].GetProperty("class").GetString(), have[i].GetProperty("class").GetString());
                Assert.Equal(want[i].GetProperty("base_rank").GetInt32(), have[i].GetProperty("base_rank").GetInt32());
                Assert.Equal(want[i].GetProperty("base_logprob").GetDouble(), have[i].GetProperty("base_logprob").GetDouble(), 1e-4);
                Assert.Equal(want[i].GetProperty("aligned_logprob").GetDouble(), have[i].GetProperty("aligned_logprob").GetDouble(), 1e-4);
                Assert.Equal(JsonValueKind.Number, want[i].GetProperty("kl").ValueKind);
                Assert.Equal(JsonValueKind.Null, have[i].GetProperty("kl").ValueKind);
            }
        }
        Assert.True(positions > 0);
    }

    private static List<JsonElement> Lines(string path)
        => [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
