using System.Text.Json;
using AlignLab.Tests.Tds;

namespace AlignLab.Server.Tests.Client;

/// <summary>
/// `tds` with both models behind alignlab serve gives what it gives with the same models loaded locally: the same
/// answers, classes and ranks, log-probabilities within 1e-4; only the statistics of whole distributions (exact
/// KL, entropies) are left out.
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
        var served = run.NewFolder();
        TdsRunFixture.Run(run.Options(served, aligned: alignedServer.ModelReference, baseModel: baseServer.ModelReference));
        AssertSameAnalysis(local, served);

        // The same with local tokenizers for the served models (--base-tokenizer / --aligned-tokenizer), as with vLLM.
        var withTokenizers = run.NewFolder();
        TdsRunFixture.Run(run.Options(withTokenizers, aligned: alignedServer.ModelReference, baseModel: baseServer.ModelReference)
            with { BaseTokenizer = run.Models.Base, AlignedTokenizer = run.Models.Perturbed });
        AssertSameAnalysis(local, withTokenizers);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(withTokenizers, "run.json")));
        Assert.Equal(run.Models.Base, manifest.RootElement.GetProperty("options").GetProperty("base_tokenizer").GetString());
        Assert.Equal(run.Models.Perturbed, manifest.RootElement.GetProperty("options").GetProperty("aligned_tokenizer").GetString());
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
