using System.Text;
using System.Text.Json.Nodes;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.JustEval;

namespace AlignLab.Tests.JustEval;

/// <summary>Summaries of crafted judged files in our format and the published one: sets, failures, counts, errors, JSON, text and HTML.</summary>
public sealed class JudgeSummaryTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One of our judged lines; <paramref name="scores"/> null: a failure.</summary>
    private static string Ours(object id, string generator, string output, string? category, (string Aspect, object Score)[]? scores, int requests = 1)
    {
        var line = new JsonObject
        {
            ["id"] = JsonValue.Create(id),
            ["instruction"] = "q",
            ["output"] = output,
            ["generator"] = generator,
            ["category"] = category,
            ["dataset"] = "lima",
            ["mode"] = "multi",
            ["parsed_result"] = scores is null ? null : new JsonObject(scores.Select(s => KeyValuePair.Create(s.Aspect, (JsonNode?)new JsonObject { ["reason"] = "r", ["score"] = JsonValue.Create(s.Score) }))),
            ["failure"] = scores is null ? "no valid score after a retry for depth: no score" : null,
            ["usage"] = new JsonObject { ["requests"] = requests, ["prompt_tokens"] = 100 * requests, ["completion_tokens"] = 10 * requests },
        };
        return line.ToJsonString();
    }

    private string Write(string name, params string[] lines) => _dir.Write(name, string.Join("\n", lines) + "\n");

    [Fact]
    public void Shards_of_a_set_form_one_set_and_failures_uncategorized_answers_and_usage_are_counted()
    {
        var a = Write("a.jsonl",
            Ours(1, "m", "one two three", "regular", [("helpfulness", 4), ("depth", "N/A")]),
            Ours(2, "m", "x", null, null, requests: 2));
        var b = Write("b.jsonl",
            Ours(3, "m", "a b", "regular", [("helpfulness", 2), ("depth", 1.5)]),
            Ours(1, "other", "solo", "safety", [("safety", 3)]));
        var summary = JudgeSummaryBuilder.Build([a, b], tags: null);

        Assert.Equal(["m", "other"], summary.Sets.Select(s => s.Name));
        var m = summary.Sets[0];
        Assert.Equal((2, 1, 1), (m.Judged, m.Failed, m.Uncategorized));
        Assert.Equal([a, b], m.Files);
        Assert.Equal((RecordId.FromNumber(2), "no valid score after a retry for depth: no score"), (m.Failures[0].Id, m.Failures[0].Reason));
        Assert.Equal([("helpfulness", 3.0), ("depth", 3.25)], m.Aspects.Select(x => (x.Aspect, x.Mean))); // N/A is 5: (5 + 1.5) / 2
        Assert.Equal((3.0 + 3.25) / 2, m.Average);
        Assert.Equal((3 + 2) / 2.0, m.Words); // the failed answer's length is not counted
        Assert.Equal(new TokenUsage(4, 400, 40), m.Usage);
        Assert.Equal(["lima"], m.Breakdowns.Single(x => x.Dimension == "dataset").Groups.Select(g => g.Group));
        Assert.Empty(m.Breakdowns.Single(x => x.Dimension == "task").Groups);
        Assert.Equal([("safety", 3.0)], summary.Sets[1].Aspects.Select(x => (x.Aspect, x.Mean)));
    }

    [Fact]
    public void A_set_with_an_id_twice_is_an_error_naming_both_places()
    {
        var a = Write("a.jsonl", Ours(1, "m", "x", "regular", [("helpfulness", 4)]));
        var error = Assert.Throws<DataFormatException>(() => JudgeSummaryBuilder.Build([a, a], null));
        Assert.Equal($"{a}:1: id 1 of the answer set \"m\" is already in {a}:1: the files overlap", error.Message);
    }

    [Theory]
    [InlineData("{\"id\": 1, \"output\": \"x\", \"generator\": \"m\", \"parsed_result\": {\"depth\": {\"score\": \"7\"}}}", "\"parsed_result.depth\": the score \"7\" is not within 1 to 5")]
    [InlineData("{\"id\": 1, \"output\": \"x\", \"generator\": \"m\", \"parsed_result\": {\"depth\": 4}}", "\"parsed_result.depth\" is not a {\"reason\", \"score\"} object")]
    [InlineData("{\"id\": 1, \"output\": \"x\", \"parsed_result\": {}}", "field \"generator\" (or \"generator_cand\") is missing: it names the answer set")]
    [InlineData("{\"id\": 1, \"generator\": \"m\"}", "field \"output\" (or \"output_cand\") is missing")]
    [InlineData("{\"output\": \"x\", \"generator\": \"m\"}", "field \"id\" is missing, expected a string or a number")]
    [InlineData("{\"id\": 1, \"output\": \"x\", \"generator\": \"m\", \"usage\": {\"requests\": -1}}", "\"usage\" is not {\"requests\", \"prompt_tokens\", \"completion_tokens\"} with counts ≥ 0")]
    public void A_malformed_record_is_an_error_naming_file_line_and_field(string second, string message)
    {
        var path = Write("bad.jsonl", Ours(0, "m", "x", "regular", [("depth", 3)]), second);
        Assert.Equal($"{path}:2: {message}", Assert.Throws<DataFormatException>(() => JudgeSummaryBuilder.Build([path], null)).Message);
    }

    [Fact]
    public void The_json_has_every_field_the_issue_names_for_each_set()
    {
        var path = Write("a.jsonl", Ours("x", "m", "w w", "regular", [("helpfulness", 4), ("clarity", 5)]), Ours("y", "m", "w", "regular", [("helpfulness", 2), ("clarity", 5)]));
        var tags = _dir.Write("tags.json", "[{\"id\": \"x\", \"task_types\": [\"math\", \"coding\"], \"topics\": [\"stem\"], \"difficulty\": \"hard\"}]");
        using var stream = new MemoryStream();
        JudgeSummaryJson.Write(stream, JudgeSummaryBuilder.Build([path], TagTable.Read(tags, new BadRecordLog(false))));
        var set = JsonNode.Parse(stream.ToArray())!["sets"]![0]!.AsObject();

        Assert.Equal(["name", "files", "judged", "failed", "failures", "uncategorized", "untagged", "aspects", "intervals", "counts", "average", "words",
            "by_task", "by_topic", "by_difficulty", "by_dataset", "usage"], set.Select(p => p.Key));
        Assert.Equal("m", set["name"]!.GetValue<string>());
        Assert.Equal((2, 0, 1), (set["judged"]!.GetValue<int>(), set["failed"]!.GetValue<int>(), set["untagged"]!.GetValue<int>()));
        Assert.Equal((3.0, 5.0), (set["aspects"]!["helpfulness"]!.GetValue<double>(), set["aspects"]!["clarity"]!.GetValue<double>()));
        Assert.Equal(4.0, set["average"]!.GetValue<double>());
        Assert.Equal(1.5, set["words"]!.GetValue<double>());
        Assert.Equal(2, set["intervals"]!["helpfulness"]!.AsArray().Count);
        var math = set["by_task"]!["math"]!;
        Assert.Equal((1, 4.0, 5.0, 4.5), (math["count"]!.GetValue<int>(), math["aspects"]!["helpfulness"]!.GetValue<double>(), math["aspects"]!["clarity"]!.GetValue<double>(), math["average"]!.GetValue<double>()));
        Assert.Equal(["coding", "math"], set["by_task"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(2, set["by_dataset"]!["lima"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public void Several_sets_are_compared_side_by_side_in_the_text()
    {
        var path = Write("a.jsonl", Ours(1, "alpha", "w", "regular", [("helpfulness", 4)]), Ours(1, "beta\u001b[31m", "w", "regular", [("helpfulness", 2)]),
            Ours(2, "beta\u001b[31m", "w", null, null));
        var text = new StringWriter { NewLine = "\n" };
        SummaryText.Write(text, JudgeSummaryBuilder.Build([path], null));
        var output = text.ToString();
        Assert.StartsWith("Answer sets\nset        judged  failed  helpfulness  average  words\nalpha           1       0         4.00     4.00    1.0\nbeta\uFFFD[31m       1       1         2.00     2.00    1.0\n", output, StringComparison.Ordinal);
        Assert.Contains("Average by source dataset, side by side\nsource dataset  alpha  beta\uFFFD[31m\nlima             4.00       2.00\n", output, StringComparison.Ordinal);
        Assert.Contains("beta\uFFFD[31m:\n  failed judgments, left out of the means: 1 (ids 2)\n  answers without a category, judged as regular: 1\n  judge usage: 2 requests, 200 prompt and 20 completion tokens\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public void The_html_page_escapes_every_text_from_the_files_and_allows_no_script()
    {
        var hostile = "<script>alert(1)</script>";
        var path = Write("a.jsonl", Ours(1, hostile, "w", "regular", [("helpfulness", 4)]), Ours(1, "plain", "w", "regular", [("helpfulness", 3)]));
        using var stream = new MemoryStream();
        JudgeReportPage.Write(stream, JudgeSummaryBuilder.Build([path], null));
        var html = Encoding.UTF8.GetString(stream.ToArray());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Matches("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'", html);
        Assert.Contains("<svg viewBox=", html, StringComparison.Ordinal);
        Assert.Contains("<title>plain: 3.00</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"whisker\"", html, StringComparison.Ordinal);   // judge means carry no interval
    }

    [Fact]
    public void Word_counts_split_on_whitespace_as_python_does()
    {
        Assert.Equal(0, WordCount.Of(" \t\n"));
        Assert.Equal(3, WordCount.Of("  one\ttwo\u00a0three  "));
        Assert.Equal(2, WordCount.Of("a\u001fb"));
        Assert.Equal(1, WordCount.Of("naïve—word"));
    }
}
