using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;
using AlignLab.Data;

namespace AlignLab.Tests.Reports;

public sealed class ReportInputErrorTests
{
    private const string Good = """{"id": 1, "instruction": "q", "category": "regular", "answer": "ab", "tokens": [{"id": 3, "text": "a", "class": "unshifted", "base_rank": 1, "base_logprob": -0.1, "aligned_logprob": -0.2, "kl": 0.01, "kl_reverse": 0.02, "aligned_top": [[3, 0.8], [4, 0.1]], "base_top": [[3, 0.9]]}, {"id": 4, "text": "b", "class": "shifted", "base_rank": 7, "base_logprob": -5, "aligned_logprob": -0.3, "kl": null, "kl_reverse": null, "aligned_top": [[4, 0.7]], "base_top": [[9, 0.5], [4, 0.01]]}]}""";

    /// <summary>A single-model run whose positions.jsonl is <paramref name="lines"/>, with an old report.html to protect.</summary>
    private static ScratchDirectory RunWith(params string[] lines)
    {
        var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(1, 3));
        File.WriteAllText(scratch.File("positions.jsonl"), string.Join("\n", lines) + "\n");
        File.WriteAllText(scratch.File("report.html"), "old report");
        return scratch;
    }

    private static void AssertFailsWith(ScratchDirectory scratch, string file, string expected, TdsReportOptions? options = null)
    {
        var error = Assert.Throws<DataFormatException>(() => TdsReport.Write(scratch.Path, options));
        Assert.StartsWith(scratch.File(file), error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        // The old report stands and no temporary file is left behind.
        Assert.Equal("old report", File.ReadAllText(scratch.File("report.html")));
        Assert.Empty(Directory.GetFiles(scratch.Path, "*.tmp", SearchOption.AllDirectories));
    }

    public static TheoryData<string, string> BadLines => new()
    {
        { Good.Replace("\"instruction\": \"q\",", "\"instruction\": \"q\"", StringComparison.Ordinal), ":2: invalid JSON at line 1, byte" },
        { Good.Replace("\"tokens\":", "\"tokenz\":", StringComparison.Ordinal), ":2: tokens: expected an array, got nothing (the field is missing)" },
        { Good.Replace("\"class\": \"shifted\"", "\"class\": \"weird\"", StringComparison.Ordinal), ":2: tokens[1].class: expected \"unshifted\", \"marginal\" or \"shifted\", got the string \"weird\"" },
        { Good.Replace("\"base_rank\": 1,", "\"base_rank\": 0,", StringComparison.Ordinal), ":2: tokens[0].base_rank: expected an integer ≥ 1, got the number 0" },
        { Good.Replace("[[3, 0.8], [4, 0.1]]", "[[3, 0.8], [4]]", StringComparison.Ordinal), ":2: tokens[0].aligned_top[1]: expected an [id, prob] pair, got an array" },
        { Good.Replace("[[9, 0.5], [4, 0.01]]", "[[9, 1.5], [4, 0.01]]", StringComparison.Ordinal), ":2: tokens[1].base_top[0][1]: expected a number in 0..1.0001, got the number 1.5" },
        { Good.Replace("\"id\": 1,", "\"id\": {\"x\": 1},", StringComparison.Ordinal), ":2: id: expected a string or a number, got an object" },
        { Good.Replace("\"base_logprob\": -5", "\"base_logprob\": 2", StringComparison.Ordinal), ":2: tokens[1].base_logprob: expected a number ≤ 0.0001, got the number 2" },
        { Good.Replace("\"kl\": 0.01", "\"kl\": -0.5", StringComparison.Ordinal), ":2: tokens[0].kl: expected a number ≥ -0.0001, got the number -0.5" },
        { Good.Replace("\"text\": \"a\"", "\"text\": \"\\ud800\"", StringComparison.Ordinal), ":2: tokens[0].text: expected a string of valid Unicode" },
        { Good.Replace("\"tokens\": [{", "\"tokens\": [7, {", StringComparison.Ordinal), ":2: tokens[0]: expected an object, got the number 7" },
        { "[1, 2]", ":2: (record): expected an object, got an array" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void A_malformed_positions_line_is_an_error_naming_file_line_and_field(string line, string expected)
    {
        using var scratch = RunWith(Good, line, Good);
        AssertFailsWith(scratch, "positions.jsonl", expected);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_naming_the_line()
    {
        using var scratch = RunWith(Good);
        using (var stream = new FileStream(scratch.File("positions.jsonl"), FileMode.Append))
        {
            stream.Write([.. "{\"id\": \""u8, 0xFF, .. "\"}\n"u8]);
        }
        AssertFailsWith(scratch, "positions.jsonl", ":2: JSON: is not valid UTF-8");
    }

    [Fact]
    public void A_line_over_the_limit_is_refused_before_it_is_read_whole()
    {
        using var scratch = RunWith(Good, Good.Replace("\"q\"", "\"" + new string('q', 5000) + "\"", StringComparison.Ordinal));
        AssertFailsWith(scratch, "positions.jsonl", ":2: a line longer than the limit of 4096 bytes",
            new TdsReportOptions { Limits = new ReportLimits { MaxLineBytes = 4096 } });
    }

    [Fact]
    public void More_positions_than_the_limit_is_an_error()
    {
        using var scratch = RunWith(Good, Good, Good);
        AssertFailsWith(scratch, "positions.jsonl", ":3: more than 100000 examples or 5 answer positions",
            new TdsReportOptions { Limits = new ReportLimits { MaxPositions = 5 } });
    }

    public static TheoryData<string, string, string> BadSummaries => new()
    {
        { "\"ratios\"", "\"ratioz\"", "summary.json: ratios: expected an object, got nothing (the field is missing)" },
        { "\"by_category\":{\"safety\":{\"examples\":1", "\"by_category\":{\"safety\":{\"examples\":-1", "summary.json: by_category.safety.examples: expected an integer ≥ 0, got the number -1" },
        { "\"ratio_ci95\":{\"unshifted\":[", "\"ratio_ci95\":{\"unshifted\":[0.5,", "summary.json: ratio_ci95.unshifted: expected a [low, high] pair, got an array" },
        { "\"absolute\":[{\"start\":0,", "\"absolute\":[{\"start\":\"zero\",", "summary.json: by_position.absolute[0].start: expected an integer ≥ 0, got the string \"zero\"" },
        { "\"base_rank_histogram\":[", "\"base_rank_histogram\":[7,", "summary.json: base_rank_histogram[0]: expected an object, got the number 7" },
        { "\"by_tag\":{\"task_types\":{\"math\":{\"examples\":1", "\"by_tag\":{\"task_types\":{\"math\":{\"examples\":true", "summary.json: by_tag.task_types.math.examples: expected an integer ≥ 0, got true" },
    };

    [Theory]
    [MemberData(nameof(BadSummaries))]
    public void A_malformed_summary_is_an_error_naming_the_field(string find, string replace, string expected)
    {
        using var scratch = RunWith(Good);
        var summary = File.ReadAllText(scratch.File("summary.json"));
        Assert.Contains(find, summary, StringComparison.Ordinal);
        File.WriteAllText(scratch.File("summary.json"), summary.Replace(find, replace, StringComparison.Ordinal));
        AssertFailsWith(scratch, "summary.json", expected);
    }

    [Fact]
    public void A_malformed_run_json_is_an_error_naming_the_field()
    {
        using var scratch = RunWith(Good);
        File.WriteAllText(scratch.File("run.json"), """{"base": {"reference": 5}, "aligned": []}""");
        AssertFailsWith(scratch, "run.json", "run.json: base.reference: expected a string, got the number 5");
    }

    [Fact]
    public void A_missing_summary_is_an_error()
    {
        using var scratch = RunWith(Good);
        File.Delete(scratch.File("summary.json"));
        AssertFailsWith(scratch, "summary.json", "summary.json: file not found");
    }

    [Fact]
    public void A_folder_without_results_is_not_a_run_directory()
    {
        using var scratch = new ScratchDirectory();
        Directory.CreateDirectory(scratch.File("empty-model"));
        var error = Assert.Throws<DataFormatException>(() => TdsReport.Write(scratch.Path));
        Assert.Equal($"{scratch.Path}: not a TDS run directory: no positions.jsonl in it or in any folder directly under it", error.Message);
        Assert.False(File.Exists(scratch.File("report.html")));
    }

    [Fact]
    public void A_missing_directory_is_an_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "alignlab-no-such-run-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DataFormatException>(() => TdsReport.Write(missing));
        Assert.Equal($"{missing}: no such directory", error.Message);
    }

    [Fact]
    public void A_torn_last_line_is_left_out_with_a_warning()
    {
        using var scratch = RunWith(Good, Good);
        File.AppendAllText(scratch.File("positions.jsonl"), Good[..120]);

        var result = TdsReport.Write(scratch.Path);

        Assert.Equal(2, result.Examples);
        Assert.Equal(4, result.Positions);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal($"{scratch.File("positions.jsonl")}:3: incomplete last line left out (a run still writing, or one that was killed)", warning);
        using var report = ReportFile.Read(result.Path);
        Assert.Equal(warning, report.Data.GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public void A_complete_last_line_without_a_line_break_is_read()
    {
        using var scratch = RunWith(Good);
        File.AppendAllText(scratch.File("positions.jsonl"), Good);

        var result = TdsReport.Write(scratch.Path);

        Assert.Equal(2, result.Examples);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_malformed_unterminated_last_line_is_still_an_error_when_its_json_is_whole()
    {
        using var scratch = RunWith(Good);
        File.AppendAllText(scratch.File("positions.jsonl"), Good.Replace("\"base_rank\": 1,", "\"base_rank\": 0,", StringComparison.Ordinal));
        AssertFailsWith(scratch, "positions.jsonl", ":2: tokens[0].base_rank");
    }
}
