using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Cli.Tests;

public class UrialPromptsCommandTests
{
    private static string Published(string file) => SharedFixtures.Require(Path.Combine("data/urial", file));

    private static string[][] Rows(string stdout)
        => [.. stdout.TrimEnd('\n').Split('\n').Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    [Fact]
    public async Task Lists_the_built_ins_and_a_given_file_with_example_and_character_counts()
    {
        var file = Published("inst_1k_v4.help.txt");
        var (code, stdout, stderr) = await CliRunner.RunAsync("urial", "prompts", file);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("NAME ", stdout, StringComparison.Ordinal);
        var rows = Rows(stdout);
        Assert.Equal(["zero", "preamble", "stylistic", "inst_1k_v4.help"], rows.Select(r => r[0]));
        Assert.Equal(["0", "0", "3", "3"], rows.Select(r => r[1]));
        Assert.Equal(File.ReadAllText(file).Length.ToString(CultureInfo.InvariantCulture), rows[3][2]);
        Assert.Equal("-", rows[3][3]);
        Assert.Equal(file, rows[3][4]);
        Assert.Equal("built-in", rows[0][4]);
    }

    [Fact]
    public async Task With_a_model_the_tokens_are_those_of_the_prompt_text_bos_included()
    {
        var vocab = SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf");
        var file = Published("inst_1shot.txt");
        var (code, stdout, stderr) = await CliRunner.RunAsync("urial", "prompts", file, "--model", vocab, "--json");
        Assert.True(code == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(["name", "source", "examples", "characters", "tokens", "sha256"], rows[3].EnumerateObject().Select(p => p.Name));
        Tokenizer tokenizer;
        using (var model = LocalModel.Open(vocab))
        {
            tokenizer = model.LoadTokenizer();
        }
        // The llama-spm vocabulary adds BOS: one token for the empty zero prompt, one more than the text's for the file.
        Assert.Equal(1, rows[0].GetProperty("tokens").GetInt32());
        Assert.Equal(tokenizer.Encode(File.ReadAllText(file), EncodeOptions.Default).Count + 1, rows[3].GetProperty("tokens").GetInt32());
        Assert.Equal(1, rows[3].GetProperty("examples").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), rows[3].GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_malformed_file_is_one_error_line_naming_file_and_line()
    {
        using var scratch = new ScratchDirectory();
        var bad = scratch.Write("bad.txt", "# Instruction\n\nHelp.\n\n# Query:\n```\nHi\n```\n");
        var (code, stdout, stderr) = await CliRunner.RunAsync("urial", "prompts", bad);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {bad}:5: '# Query:' has no '# Answer:': the file ends\n", stderr);
    }

    [Fact]
    public async Task An_unknown_prompt_name_is_a_usage_error_listing_the_built_ins()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("urial", "prompts", "stylish");
        Assert.Equal(2, code);
        Assert.Equal("error: urial prompts: unknown prompt 'stylish': not an existing file, nor one of the built-in prompts zero, preamble, stylistic\n", stderr);
    }
}
