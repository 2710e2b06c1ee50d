using System.Text.Json.Nodes;
using AlignLab.Embeddings;
using AlignLab.Engine.Tests.Support;
using AlignLab.Pluralism;

namespace AlignLab.Tests.Pluralism;

public sealed class PluralismMeasureRunTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A fixed table of unit vectors: the measures are tested, not an embedding model.</summary>
    private sealed class TableEmbedder : IEmbedder
    {
        private static readonly Dictionary<string, float[]> Vectors = new()
        {
            ["red apple"] = [1f, 0f],
            ["green apple"] = [0f, 1f],
            ["yes"] = [0.6f, 0.8f],
        };

        public string Name => "table";

        public float[] Embed(string text) => Vectors[text];
    }

    [Fact]
    public async Task Measures_per_instruction_and_summary_match_a_hand_computation()
    {
        var reference = SampleSet.Read(_dir.Write("chat.jsonl",
            "{\"id\": 1, \"samples\": [{\"output\": \"red apple\"}, {\"output\": \"green apple\"}]}\n{\"id\": \"b\", \"samples\": [{\"output\": \"yes\"}, {\"output\": \"yes\"}]}\n"));
        var alternative = SampleSet.Read(_dir.Write("base.json", "[{\"id\": 1, \"instruction\": \"?\", \"output\": \"red apple\"}]"));
        var output = _dir.File("out");

        await PluralismMeasureRun.ExecuteAsync(new MeasureJob { Reference = reference, Alternatives = [alternative], Embedder = new TableEmbedder(), OutputDirectory = output },
            cancel: TestContext.Current.CancellationToken);

        var lines = File.ReadAllLines(Path.Combine(output, PluralismMeasureRun.InstructionsFile)).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        var first = lines[0]["models"]!;
        // {red, apple} and {green, apple}: 1 shared of 3; words red apple green apple: 3 of 4 unique.
        Assert.Equal(1.0 / 3, first["chat"]!["jaccard_mean"]!.GetValue<double>(), 12);
        Assert.Equal(0.75, first["chat"]!["distinct_1"]!.GetValue<double>());
        Assert.Equal(0.0, first["chat"]!["embedding_cosine_mean"]!.GetValue<double>());
        Assert.Equal(0.0, lines[0]["reference_ceiling"]!.GetValue<double>());
        // The one base sample is (1, 0): cosine 1 with "red apple", 0 with "green apple".
        Assert.Equal(0.5, first["base"]!["similarity_to_reference"]!.GetValue<double>());
        // Words: {red, apple} against {red, apple} (1) and {green, apple} (1/3); the ceiling pairs the two reference samples only.
        Assert.Equal((1 + 1.0 / 3) / 2, first["base"]!["jaccard_to_reference"]!.GetValue<double>(), 12);
        Assert.Null(first["chat"]!["jaccard_to_reference"]);
        Assert.Equal(1.0 / 3, lines[0]["reference_jaccard_ceiling"]!.GetValue<double>(), 12);
        Assert.Null(first["base"]!["jaccard_mean"]);
        Assert.Equal("b", lines[1]["id"]!.GetValue<string>());
        Assert.Null(lines[1]["models"]!["base"]);
        Assert.Equal(1.0, lines[1]["reference_ceiling"]!.GetValue<double>(), 6);

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, PluralismMeasureRun.SummaryFile)))!;
        Assert.Equal("table", summary["embedder"]!.GetValue<string>());
        var chatJaccard = summary["models"]!["chat"]!["jaccard_mean"]!;
        Assert.Equal((1.0 / 3 + 1) / 2, chatJaccard["mean"]!.GetValue<double>(), 12);
        Assert.InRange(chatJaccard["low"]!.GetValue<double>(), 1.0 / 3, chatJaccard["mean"]!.GetValue<double>());
        Assert.InRange(chatJaccard["high"]!.GetValue<double>(), chatJaccard["mean"]!.GetValue<double>(), 1.0);
        var similarity = summary["models"]!["base"]!["similarity_to_reference"]!;
        Assert.Equal((0.5, 0.5, 0.5, 1), (similarity["mean"]!.GetValue<double>(), similarity["low"]!.GetValue<double>(), similarity["high"]!.GetValue<double>(),
            similarity["instructions"]!.GetValue<int>()));
        Assert.Null(summary["models"]!["base"]!["jaccard_mean"]);
        Assert.Equal(0.5, summary["reference_ceiling"]!["mean"]!.GetValue<double>(), 6);
    }

    [Fact]
    public void Bad_sample_files_name_the_line()
    {
        var path = _dir.Write("bad.jsonl", "{\"id\": 1, \"output\": \"ok\"}\n{\"id\": 2, \"samples\": []}\n");
        var error = Assert.Throws<AlignLab.Data.DataFormatException>(() => SampleSet.Read(path));
        Assert.StartsWith($"{path}:2: expected \"samples\"", error.Message, StringComparison.Ordinal);
        var twice = _dir.Write("twice.jsonl", "{\"id\": 1, \"output\": \"a\"}\n{\"id\": 1, \"output\": \"b\"}\n");
        Assert.StartsWith($"{twice}:2: id 1 appears twice", Assert.Throws<AlignLab.Data.DataFormatException>(() => SampleSet.Read(twice)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_sets_with_one_name_are_refused()
    {
        var set = SampleSet.Read(_dir.Write("same.jsonl", "{\"id\": 1, \"output\": \"a\"}\n"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PluralismMeasureRun.ExecuteAsync(new MeasureJob { Reference = set, Alternatives = [set], OutputDirectory = _dir.File("o") }, cancel: TestContext.Current.CancellationToken));
        Assert.Contains("two sample sets are named 'same'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Token vectors from a table: each word of the text is one token, looked up by the word.</summary>
    private sealed class WordTokenEmbedder : ITokenEmbedder
    {
        private static readonly Dictionary<string, float[]> Vectors = new()
        {
            ["x"] = [1f, 0f],
            ["y"] = [0f, 1f],
            ["d"] = [0.6f, 0.8f],
        };

        public string TokenVectorsName => "word table";

        public IReadOnlyList<float[]> EmbedTokens(string text) => [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Vectors[w])];
    }

    [Fact]
    public async Task BertScore_compares_every_alternative_sample_with_every_reference_sample_and_the_ceiling_skips_self_pairs()
    {
        var reference = SampleSet.Read(_dir.Write("chat.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"x y\"}, {\"output\": \"x\"}]}\n"));
        var alternative = SampleSet.Read(_dir.Write("base.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"d\"}]}\n"));
        var output = _dir.File("out");
        await PluralismMeasureRun.ExecuteAsync(new MeasureJob { Reference = reference, Alternatives = [alternative], TokenEmbedder = new WordTokenEmbedder(), OutputDirectory = output },
            cancel: TestContext.Current.CancellationToken);

        // "d" vs "x y": P = 0.8, R = (0.6 + 0.8) / 2 = 0.7; "d" vs "x": P = R = 0.6.
        var f1First = 2 * 0.8 * 0.7 / 1.5;
        var line = JsonNode.Parse(File.ReadAllLines(Path.Combine(output, PluralismMeasureRun.InstructionsFile))[0])!;
        var base_ = line["models"]!["base"]!;
        Assert.Equal((f1First + 0.6) / 2, base_["bertscore_f1"]!.GetValue<double>(), 6);
        Assert.Equal((0.8 + 0.6) / 2, base_["bertscore_precision"]!.GetValue<double>(), 6);
        Assert.Equal((0.7 + 0.6) / 2, base_["bertscore_recall"]!.GetValue<double>(), 6);
        // The one pair of different reference samples, "x y" vs "x": P = 0.5, R = 1 (F1 2/3); with self pairs it would be (1 + 1 + 2/3) / 3.
        Assert.Equal(2.0 / 3, line["reference_bertscore_ceiling"]!.GetValue<double>(), 6);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, PluralismMeasureRun.SummaryFile)))!;
        Assert.Equal(2.0 / 3, summary["reference_bertscore_ceiling"]!["mean"]!.GetValue<double>(), 6);
        Assert.Equal("word table", summary["token_embedder"]!.GetValue<string>());
        Assert.Contains("no IDF weighting, no baseline rescaling", summary["bertscore"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(summary["models"]!["base"]!["similarity_to_reference"]);
    }

    [Fact]
    public async Task An_embedder_without_token_vectors_skips_bertscore_with_a_note()
    {
        var reference = SampleSet.Read(_dir.Write("chat.jsonl", "{\"id\": 1, \"samples\": [{\"output\": \"red apple\"}, {\"output\": \"green apple\"}]}\n"));
        var alternative = SampleSet.Read(_dir.Write("base.jsonl", "{\"id\": 1, \"output\": \"yes\"}\n"));
        var output = _dir.File("out");
        await PluralismMeasureRun.ExecuteAsync(new MeasureJob { Reference = reference, Alternatives = [alternative], Embedder = new TableEmbedder(), OutputDirectory = output },
            cancel: TestContext.Current.CancellationToken);

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, PluralismMeasureRun.SummaryFile)))!;
        Assert.Equal("skipped: the embedder table gives no token vectors (a served embedder returns pooled vectors only)", summary["bertscore"]!.GetValue<string>());
        Assert.Null(summary["reference_bertscore_ceiling"]);
        Assert.Null(summary["models"]!["base"]!["bertscore_f1"]);
        // (0.6, 0.8) against (1, 0) and (0, 1).
        Assert.Equal(0.7, summary["models"]!["base"]!["similarity_to_reference"]!["mean"]!.GetValue<double>(), 6);
    }
}
