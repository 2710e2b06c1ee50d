using System.Text.Json;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public sealed class ChatTemplateCommandTests : IDisposable
{
    private const string Template = """
        {%- if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}
        {{- bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}{{ eos_token }}
        {% endfor %}
        {%- if add_generation_prompt %}[assistant]{{ suffix | default('') }}{% endif %}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("alignlab-cli-template-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<JsonElement> ParseOutput(string stdout)
    {
        Assert.Single(stdout.TrimEnd('\n').Split('\n'));
        return [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray()];
    }

    [Fact]
    public async Task Renders_each_case_and_reports_template_errors_per_case()
    {
        var template = WriteFile("t.jinja", Template);
        var cases = WriteFile("cases.json", """
            [
              {"messages": [{"role": "user", "content": "hi"}], "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>", "suffix": "!"},
              {"messages": [{"role": "system", "content": "x"}], "add_generation_prompt": false, "bos_token": "", "eos_token": ""},
              {"messages": [{"role": "user", "content": "é 🎉 \"q\""}], "add_generation_prompt": false, "bos_token": "", "eos_token": ""}
            ]
            """);
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", "--template", template, "--cases", cases);
        Assert.Equal((0, ""), (code, stderr));
        var results = ParseOutput(stdout);
        Assert.Equal("<s>[user] hi</s>\n[assistant]!", results[0].GetString());
        Assert.Equal("System role not supported", results[1].GetProperty("error").GetString());
        Assert.Equal("[user] é 🎉 \"q\"\n", results[2].GetString());
    }

    [Fact]
    public async Task Now_fixes_strftime_now()
    {
        var template = WriteFile("date.jinja", "{{ strftime_now('%d %B %Y, %H:%M:%S') }}");
        var cases = WriteFile("cases.json", """[{"messages": []}]""");
        var (code, stdout, _) = await CliRunner.RunAsync("chat-template", "--template", template, "--cases", cases, "--now", "2026-01-02T03:04:05");
        Assert.Equal(0, code);
        Assert.Equal("02 January 2026, 03:04:05", ParseOutput(stdout)[0].GetString());
    }

    [Fact]
    public async Task A_hugging_face_folder_supplies_the_template()
    {
        WriteFile("tokenizer.json", "{}");
        WriteFile("tokenizer_config.json", """{"chat_template": [{"name": "default", "template": "{{ messages|length }} messages"}]}""");
        var cases = WriteFile("cases.json", """[{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}]""");
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", _folder, "--cases", cases);
        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal("2 messages", ParseOutput(stdout)[0].GetString());
    }

    [Theory]
    [InlineData("[{\"messages\": [1,]}]", "cases.json: invalid JSON at line 1, byte 18")]
    [InlineData("[{\"messages\": []},\n 42]", "cases.json: case 1 is Number, expected an object")]
    [InlineData("{\"messages\": []}", "cases.json: expected a JSON array of cases, found Object")]
    public async Task Bad_cases_are_one_line_naming_file_and_position(string casesJson, string message)
    {
        var template = WriteFile("t.jinja", "x");
        var cases = WriteFile("cases.json", casesJson);
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", "--template", template, "--cases", cases);
        AssertOneLineError(code, stdout, stderr, 1, message);
    }

    [Fact]
    public async Task A_template_syntax_error_names_template_line_and_column()
    {
        var template = WriteFile("broken.jinja", "ok\n{% for m in messages %}{{ m + }}{% endfor %}");
        var cases = WriteFile("cases.json", "[{}]");
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", "--template", template, "--cases", cases);
        AssertOneLineError(code, stdout, stderr, 1, "broken.jinja:2:31: unexpected 'end of print statement'");
    }

    [Fact]
    public async Task Missing_files_are_one_line_errors()
    {
        var cases = WriteFile("cases.json", "[{}]");
        var missing = Path.Combine(_folder, "nope.jinja");
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", "--template", missing, "--cases", cases);
        AssertOneLineError(code, stdout, stderr, 1, "nope.jinja: file not found");
        var template = WriteFile("t.jinja", "x");
        (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", "--template", template, "--cases", Path.Combine(_folder, "none.json"));
        AssertOneLineError(code, stdout, stderr, 1, "none.json: file not found");
    }

    [Theory]
    [InlineData(false, false, "give either MODEL or --template FILE")]
    [InlineData(true, true, "give either MODEL or --template FILE")]
    public async Task Model_and_template_are_exclusive(bool withModel, bool withTemplate, string message)
    {
        var cases = WriteFile("cases.json", "[{}]");
        var args = new List<string> { "chat-template", "--cases", cases };
        if (withModel)
        {
            args.Add(_folder);
        }
        if (withTemplate)
        {
            args.AddRange(["--template", WriteFile("t.jinja", "x")]);
        }
        var (code, stdout, stderr) = await CliRunner.RunAsync([.. args]);
        AssertOneLineError(code, stdout, stderr, 2, message);
    }

    [Fact]
    public async Task A_missing_model_is_a_one_line_error()
    {
        var cases = WriteFile("cases.json", "[{}]");
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", Path.Combine(_folder, "no-model"), "--cases", cases);
        AssertOneLineError(code, stdout, stderr, 1, "no-model\": not a file, not a folder");
    }

    [Fact]
    public async Task A_gguf_model_supplies_its_template_and_special_tokens_come_from_the_case()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "llama");
        writer.AddMetadata("tokenizer.chat_template", "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}");
        var gguf = Path.Combine(_folder, "model.gguf");
        writer.Write(gguf);
        var cases = WriteFile("cases.json", """[{"messages": [{"role": "user", "content": "hi"}], "bos_token": "<s>"}]""");
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", gguf, "--cases", cases);
        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal("<s>[user]hi", ParseOutput(stdout)[0].GetString());
    }

    [Fact]
    public async Task A_gguf_without_a_template_or_a_broken_gguf_is_a_one_line_error()
    {
        var cases = WriteFile("cases.json", "[{}]");
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "llama");
        var gguf = Path.Combine(_folder, "plain.gguf");
        writer.Write(gguf);
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", gguf, "--cases", cases);
        AssertOneLineError(code, stdout, stderr, 1, "plain.gguf: tokenizer.chat_template: missing");
        var broken = WriteFile("broken.gguf", "GGUF");
        (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", broken, "--cases", cases);
        AssertOneLineError(code, stdout, stderr, 1, "broken.gguf: version at offset 4");
    }

    [Fact]
    public async Task Bad_now_is_a_usage_error()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("chat-template", "--template", WriteFile("t.jinja", "x"), "--cases", WriteFile("c.json", "[]"), "--now", "yesterday");
        AssertOneLineError(code, stdout, stderr, 2, "--now: 'yesterday' is not an ISO-8601 date and time");
    }

    [Fact]
    public async Task Output_matches_the_committed_Jinja2_goldens()
    {
        const string name = "meta-llama-Llama-3.1-8B-Instruct";
        var template = SharedFixtures.Require($"fixtures/chat-templates/{name}.jinja");
        var cases = Path.Combine(SharedFixtures.RepoRoot, "tools", "chat-template-goldens", "cases.json");
        using var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedFixtures.RepoRoot, "tests", "AlignLab.Engine.Tests", "Templates", "Goldens", name + ".json")));
        var (code, stdout, _) = await CliRunner.RunAsync("chat-template", "--template", template, "--cases", cases, "--now", golden.RootElement.GetProperty("now").GetString()!);
        Assert.Equal(0, code);
        Assert.True(JsonElement.DeepEquals(golden.RootElement.GetProperty("results"), JsonDocument.Parse(stdout).RootElement));
    }

    private static void AssertOneLineError(int code, string stdout, string stderr, int expectedCode, string message)
    {
        Assert.Equal(expectedCode, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
