using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Reports;

public sealed class ReportDataTests
{
    private static readonly string[] Classes = ["unshifted", "marginal", "shifted"];

    private static FakeToken Token(int id, string text, string cls, long rank, double baseLp, double alignedLp, double? kl, double? klReverse,
        (int, double)[]? alignedTop = null, (int, double)[]? baseTop = null)
        => new(id, text, cls, rank, baseLp, alignedLp, kl, klReverse, alignedTop ?? [(id, Math.Exp(alignedLp))], baseTop ?? [(id, Math.Exp(baseLp))]);

    private static ReportFile WriteAndRead(ScratchDirectory scratch, IReadOnlyList<FakeExample> examples, TdsReportOptions? options = null)
    {
        FakeRun.WriteSingle(scratch.Path, examples);
        var result = TdsReport.Write(scratch.Path, options);
        return ReportFile.Read(result.Path);
    }

    [Fact]
    public void Every_position_field_reads_back_from_the_page_data()
    {
        using var scratch = new ScratchDirectory();
        FakeToken[] tokens =
        [
            Token(10, "Hello", "unshifted", 1, -0.25, -0.1, 0, 0),
            Token(11, " world", "marginal", 3, -2.5, -0.7, 1e-7, 2.5e-7),
            Token(12, "\n", "shifted", 70_000, -42.0, -1e-6, 12.5, null),
            // Beyond what the fields hold: rank saturates, a tiny probability reads as "below the range".
            Token(13, "", "shifted", 300_000, -150.0, -3, null, 0.75),
        ];
        using var report = WriteAndRead(scratch, [new FakeExample(7, "Say hello", "regular", tokens)]);

        for (var p = 0; p < tokens.Length; p++)
        {
            var expected = tokens[p];
            var actual = report.Position(0, 0, p);
            Assert.Equal(expected.Text, actual.Text);
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.Class, Classes[actual.Class]);
            Assert.Equal(Math.Min(expected.BaseRank, (1 << 18) - 1), actual.Rank);
            AssertClose(Math.Exp(expected.AlignedLogProb), actual.AlignedProb);
            AssertClose(expected.BaseLogProb < -100 ? 0 : Math.Exp(expected.BaseLogProb), actual.BaseProb);
            AssertClose(expected.Kl, actual.Kl);
            AssertClose(expected.KlReverse, actual.KlReverse);
        }
    }

    [Fact]
    public void A_null_log_probability_is_a_zero_probability()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, [new FakeExample(1, "q", null, [Token(3, "a", "shifted", 900, -1, -0.5, 0.3, 0.3)])]);
        var positions = File.ReadAllText(scratch.File("positions.jsonl"));
        File.WriteAllText(scratch.File("positions.jsonl"), positions.Replace("\"base_logprob\":-1", "\"base_logprob\":null", StringComparison.Ordinal));

        using var report = ReportFile.Read(TdsReport.Write(scratch.Path).Path);

        Assert.Equal(0, report.Position(0, 0, 0).BaseProb);
        AssertClose(Math.Exp(-0.5), report.Position(0, 0, 0).AlignedProb);
    }

    [Fact]
    public void The_page_keeps_the_five_most_probable_candidates_of_each_model_in_order()
    {
        using var scratch = new ScratchDirectory();
        (int, double)[] aligned = [(1, 0.05), (2, 0.4), (3, 0.01), (4, 0.3), (5, 0.1), (6, 0.08), (7, 0.06)];
        (int, double)[] baseTop = [(9, 0.9), (8, 0.0)];
        using var report = WriteAndRead(scratch, [new FakeExample("a", "q", null, [Token(2, "x", "unshifted", 1, -0.1, -0.9, 0.1, 0.1, aligned, baseTop)])]);

        var position = report.Position(0, 0, 0);
        var expected = aligned.OrderByDescending(c => c.Item2).Take(5).ToList();
        Assert.Equal(expected.Select(c => c.Item1), position.AlignedTop.Select(c => c.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            AssertClose(expected[i].Item2, position.AlignedTop[i].Prob);
        }
        Assert.Equal([9, 8], position.BaseTop.Select(c => c.Id));
        Assert.Equal(0, position.BaseTop[1].Prob);
    }

    [Fact]
    public void Example_columns_hold_ids_as_given_categories_tags_class_counts_and_mean_kl()
    {
        using var scratch = new ScratchDirectory();
        var examples = SyntheticExamples.Create(6, 40, seed: 3);
        examples[1] = examples[1] with { Tokens = [.. examples[1].Tokens.Select(t => t with { Kl = null })] };
        using var report = WriteAndRead(scratch, examples);

        var columns = report.Examples(0);
        var counts = columns.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32()).ToList();
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            Assert.Equal(example.Id.ToString(), columns.GetProperty("id")[i].GetString());
            Assert.Equal(example.Instruction, report.Instruction(0, i));
            Assert.Equal(example.Category, report.Data.GetProperty("categories")[columns.GetProperty("category")[i].GetInt32()].GetString());
            var tags = columns.GetProperty("tags")[i].EnumerateArray().Select(t => report.Data.GetProperty("tags")[t.GetInt32()])
                .Select(t => (t[0].GetString()!, t[1].GetString()!));
            Assert.Equal(example.Tags!, tags);
            Assert.Equal(Classes.Select(c => example.Tokens.Count(t => t.Class == c)), counts.Skip(3 * i).Take(3));
            var meanKl = columns.GetProperty("mean_kl")[i];
            if (i == 1)
            {
                Assert.Equal(System.Text.Json.JsonValueKind.Null, meanKl.ValueKind);
            }
            else
            {
                Assert.Equal(example.Tokens.Average(t => t.Kl!.Value), meanKl.GetDouble(), 1e-5);
            }
            Assert.Equal(example.Tokens.Count, report.PositionCount(0, i));
        }
    }

    [Fact]
    public void Without_a_tokenizer_candidates_take_their_text_from_the_answers_or_are_shown_by_id()
    {
        using var scratch = new ScratchDirectory();
        var tokens = new[] { Token(5, " seen", "marginal", 2, -1, -0.5, 0.2, 0.2, [(5, 0.6), (6, 0.3)], [(77, 0.5), (5, 0.3)]) };
        using var report = WriteAndRead(scratch, [new FakeExample(1, "q", null, tokens)]);

        Assert.Equal("answers", report.Data.GetProperty("candidate_texts").GetString());
        Assert.Equal(" seen", report.VocabText(5));
        Assert.Null(report.VocabText(6));
        Assert.Null(report.VocabText(77));
    }

    [Fact]
    public void With_a_tokenizer_every_shown_id_has_its_decoded_text()
    {
        var tokenizer = AlignLab.Engine.Tokenizers.TokenizerLoader.FromGguf(AlignLab.Engine.Formats.Gguf.GgufFile.Open(
            SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf")));
        var ids = tokenizer.Encode("Hello world", AlignLab.Engine.Tokenizers.EncodeOptions.Default);
        using var scratch = new ScratchDirectory();
        var tokens = ids.Select(id => Token(id, "text-in-answer", "unshifted", 1, -0.1, -0.1, 0, 0, [(id, 0.9), (id + 1, 0.05)], [(id, 0.9)])).ToList();
        using var report = WriteAndRead(scratch, [new FakeExample(1, "q", null, tokens)], new TdsReportOptions { Tokenizer = tokenizer });

        Assert.Equal("tokenizer", report.Data.GetProperty("candidate_texts").GetString());
        Assert.Contains(ids, id => report.VocabText(id) == " world");
        foreach (var id in ids.Concat(ids.Select(i => i + 1)))
        {
            Assert.Equal(tokenizer.DecodeToken(id), report.VocabText(id));
        }
    }

    [Fact]
    public void Run_details_come_from_run_json()
    {
        using var scratch = new ScratchDirectory();
        using var report = WriteAndRead(scratch, SyntheticExamples.Create(2, 5));

        var run = report.Data.GetProperty("run");
        Assert.Equal("base-model", run.GetProperty("base").GetProperty("reference").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", run.GetProperty("created").GetString());
        Assert.Equal("42", run.GetProperty("seed").GetString());
        Assert.Equal([["top_k", "10"], ["base_prompt", "plain"]], run.GetProperty("options").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetString()!).ToArray()));
        Assert.Equal("org/aligned-model", report.Model(0).GetProperty("info").GetProperty("reference").GetString());
    }

    private static void AssertClose(double? expected, double? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        // The page keeps about four significant digits: 18-bit log scales.
        Assert.True(Math.Abs(expected.Value - actual.Value) <= 1e-3 * Math.Abs(expected.Value) + 1e-12, $"expected {expected}, got {actual}");
    }
}
