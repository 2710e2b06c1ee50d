using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Kernels;
using AlignLab.Engine.Tests.Inference.Fidelity;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Tokenizers.Training;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// A trained, exported GGUF (tests/.../Training/Goldens/organism-tiny.gguf) against what llama.cpp made
/// of it (organism-tiny.llama.json, from tools/organism-goldens): the same distributions at every
/// position, from the engine and from the trainer's own forward pass, and the same tokenization.
/// </summary>
public sealed class OrganismGoldenTests(ITestOutputHelper output)
{
    private static readonly string Goldens = Path.Combine(SharedFixtures.RepoRoot, "tests", "AlignLab.Engine.Tests", "Training", "Goldens");

    private static string GgufPath => Path.Combine(Goldens, OrganismGoldenFixture.Name + ".gguf");

    private static string GoldenPath => Path.Combine(Goldens, OrganismGoldenFixture.Name + ".llama.json");

    [Fact]
    public void CommittedGgufIsWhatTheExporterWritesForItsWeights()
    {
        var bytes = File.ReadAllBytes(GgufPath);
        Assert.Equal(LlamaGolden.LoadFile(GoldenPath).Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using var model = LlamaModel.Load(GgufPath);
        using var file = GgufFile.Open(GgufPath);
        var export = new ModelExport(TrainingWeights.FromModel(model.Weights), ExportTokenizer.ForChat(ByteLevelBpeVocabulary.FromGguf(file)), OrganismGoldenFixture.Name);
        using var scratch = new ScratchDirectory();
        export.WriteGguf(scratch.File("again.gguf"), GgmlType.F32);
        Assert.Equal(bytes, File.ReadAllBytes(scratch.File("again.gguf")));
    }

    [Fact]
    public void EngineMatchesLlamaCpp()
    {
        var golden = LlamaGolden.LoadFile(GoldenPath);
        using var model = LlamaModel.Load(GgufPath);
        var compare = new GoldenComparison(golden);
        model.Score(golden.Tokens, 0, new ScoreOptions { OnLogProbs = compare.Add }, KvCacheType.F32);
        AssertAgrees(compare);
    }

    [Fact]
    public void TrainerForwardMatchesLlamaCpp()
    {
        var golden = LlamaGolden.LoadFile(GoldenPath);
        using var model = LlamaModel.Load(GgufPath);
        var logits = Trainer.ComputeLogits(TrainingWeights.FromModel(model.Weights), golden.Tokens);
        var v = model.VocabSize;
        var compare = new GoldenComparison(golden);
        var row = new float[v];
        for (var p = 0; p < golden.Tokens.Length; p++)
        {
            Softmax.Log(logits.AsSpan(p * v, v), row);
            compare.Add(p, row);
        }
        AssertAgrees(compare);
    }

    [Fact]
    public void TokenizersMatchLlamaCpp()
    {
        var golden = JsonSerializer.Deserialize<TokenizationGolden>(File.ReadAllText(GoldenPath))!;
        Assert.Equal(OrganismGoldenFixture.TokenizationTexts, golden.Tokenizations.Select(t => t.Text));
        using var file = GgufFile.Open(GgufPath);
        var fromGguf = TokenizerLoader.FromGguf(file);
        var fromJson = ByteLevelBpeVocabulary.FromGguf(file).CreateTokenizer();
        foreach (var t in golden.Tokenizations)
        {
            Assert.Equal(t.Ids, fromGguf.Encode(t.Text, EncodeOptions.Default));
            Assert.Equal(t.Ids, fromJson.Encode(t.Text, EncodeOptions.Default));
            Assert.Equal(t.Decoded, fromGguf.Decode(t.Ids));
            Assert.Equal(t.Text, t.Decoded);
        }
    }

    private void AssertAgrees(GoldenComparison compare)
    {
        output.WriteLine(compare.Summary());
        Assert.True(compare.MaxAbsDelta <= 1e-3, $"max |Δ logprob| {compare.MaxAbsDelta:g3} > 1e-3 at position {compare.WorstPosition}");
        Assert.Equal(0, compare.TopSetMismatches);
        Assert.Equal(0, compare.TopOneMismatches);
        // A trained model is peaked: the comparison covers confident positions, not a flat distribution.
        Assert.True(compare.PeakedPositions >= 50, $"only {compare.PeakedPositions} peaked positions");
    }

    private sealed class TokenizationGolden
    {
        [JsonPropertyName("tokenizations")]
        public required Tokenization[] Tokenizations { get; init; }
    }

    private sealed class Tokenization
    {
        [JsonPropertyName("text")]
        public required string Text { get; init; }

        [JsonPropertyName("ids")]
        public required int[] Ids { get; init; }

        [JsonPropertyName("decoded")]
        public required string Decoded { get; init; }
    }
}
