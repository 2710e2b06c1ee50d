using System.Text.Json;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public sealed class TdsCommandTests(ModelFiles models) : IClassFixture<ModelFiles>, IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data() => _dir.Write("data.jsonl", """
        {"id": 10, "instruction": "Name a colour.", "category": "regular"}
        {"id": "x", "instruction": "Count to three, \"quoted\", with commas.", "category": "safety"}
        {"id": 12, "instruction": "Say hi."}
        """);

    private string[] Args(string output, params string[] more)
        => ["tds", "--base", models.Spm, "--aligned", models.Spm, "--data", Data(), "--out", output, "--max-new-tokens", "6", "--top-k", "3", "--threads", "1", .. more];

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static void OneErrorLine(int code, string stderr, int expectedCode, string expected)
    {
        Assert.Equal(expectedCode, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: " + expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_writes_every_result_file_and_prints_the_folder()
    {
        var output = _dir.File("run");
        var (code, stdout, stderr) = await CliRunner.RunAsync(Args(output, "--base-prompt", "chat"));
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.GetFullPath(output) + "\n", stdout);
        Assert.Contains("tds: spm: 3 examples, 0 already done", stderr, StringComparison.Ordinal);
        foreach (var file in new[] { "run.json", "positions.jsonl", "summary.json", "positions.csv", "examples.csv" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }
        var summary = Json(Path.Combine(output, "summary.json"));
        Assert.Equal(3, summary.GetProperty("examples").GetInt32());
        Assert.Equal(1.0, summary.GetProperty("ratios").GetProperty("unshifted").GetDouble());
        var run = Json(Path.Combine(output, "run.json"));
        Assert.Equal("alignlab", run.GetProperty("tool").GetString());
        Assert.Equal(6, run.GetProperty("options").GetProperty("max_new_tokens").GetInt32());
        var examples = File.ReadAllText(Path.Combine(output, "examples.csv"));
        Assert.Contains("\"Count to three, \"\"quoted\"\", with commas.\"", examples, StringComparison.Ordinal);
        Assert.StartsWith("id,index,category,task_types,topics,difficulty,positions,unshifted,", examples, StringComparison.Ordinal);

        // The same command again resumes: nothing is left to do, nothing changes.
        var positions = File.ReadAllText(Path.Combine(output, "positions.jsonl"));
        (code, _, stderr) = await CliRunner.RunAsync(Args(output, "--base-prompt", "chat"));
        Assert.True(code == 0, stderr);
        Assert.Contains("tds: spm: 3 examples, 3 already done", stderr, StringComparison.Ordinal);
        Assert.Equal(positions, File.ReadAllText(Path.Combine(output, "positions.jsonl")));
    }

    [Fact]
    public async Task Shards_merged_by_the_command_give_the_summary_of_one_run()
    {
        var whole = _dir.File("whole");
        var (code, _, stderr) = await CliRunner.RunAsync(Args(whole));
        Assert.True(code == 0, stderr);
        var shards = new List<string>();
        for (var i = 1; i <= 2; i++)
        {
            shards.Add(_dir.File($"shard{i}"));
            (code, _, stderr) = await CliRunner.RunAsync(Args(shards[^1], "--shard", $"{i}/2"));
            Assert.True(code == 0, stderr);
        }
        var merged = _dir.File("merged");
        (code, var stdout, stderr) = await CliRunner.RunAsync("tds", "merge", shards[0], shards[1], "--out", merged);
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.GetFullPath(merged) + "\n", stdout);
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "summary.json")), File.ReadAllText(Path.Combine(merged, "summary.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "positions.csv")), File.ReadAllText(Path.Combine(merged, "positions.csv")));
    }

    [Theory]
    [InlineData(new[] { "tds", "--aligned", "m", "--data", "d", "--out", "o" }, "tds: --base MODEL is required")]
    [InlineData(new[] { "tds", "--base", "m", "--data", "d", "--out", "o" }, "tds: --aligned MODEL is required")]
    [InlineData(new[] { "tds", "--base", "m", "--aligned", "m", "--data", "d", "--out", "o", "--shard", "3/2" }, "tds: --shard: shard \"3/2\": expected I/N")]
    [InlineData(new[] { "tds", "--base", "m", "--aligned", "m", "--data", "d", "--out", "o", "--base-prompt", "few" }, "tds: --base-prompt \"few\" is neither an existing URIAL prompt file nor one of plain, chat, zero, preamble, stylistic")]
    [InlineData(new[] { "tds", "--base", "m", "--aligned", "m", "--data", "d", "--out", "o", "--top-k", "0" }, "tds: --top-k 0 must be ≥ 1")]
    [InlineData(new[] { "tds", "merge", "a" }, "tds merge: --out DIR is required")]
    public async Task Usage_errors_are_one_line_and_exit_2(string[] args, string expected)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync(args);
        Assert.Equal("", stdout);
        OneErrorLine(code, stderr, 2, expected);
    }

    [Fact]
    public async Task A_malformed_data_line_is_one_error_line_naming_file_and_line()
    {
        var data = _dir.Write("bad.jsonl", "{\"instruction\": \"ok\"}\n{\"instruction\": \n");
        var (code, _, stderr) = await CliRunner.RunAsync("tds", "--base", models.Spm, "--aligned", models.Spm, "--data", data, "--out", _dir.File("o"));
        OneErrorLine(code, stderr, 1, $"{data}:2: invalid JSON");
    }

    [Fact]
    public async Task Models_with_different_vocabularies_are_refused()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("tds", "--base", models.Spm, "--aligned", models.Synthetic, "--data", Data(), "--out", _dir.File("o"));
        OneErrorLine(code, stderr, 1, "vocabularies differ in size: base ");
        Assert.False(Directory.Exists(_dir.File("o")));
    }
}
