using System.Text.Json;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tests.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

public class InspectCommandTests
{
    [Fact]
    public async Task Vocab_only_gguf_reports_its_tokenizer_and_no_tensors()
    {
        var path = SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-bpe.gguf");
        var json = await InspectJson(path);
        Assert.Equal("gguf", json.GetProperty("format").GetString());
        Assert.Equal(3u, json.GetProperty("gguf_version").GetUInt32());
        Assert.Equal("llama", json.GetProperty("architecture").GetString());
        Assert.Equal("gguf:gpt2/llama-bpe", json.GetProperty("tokenizer").GetProperty("kind").GetString());
        Assert.Equal(128256, json.GetProperty("tokenizer").GetProperty("vocab_size").GetInt32());
        Assert.Equal(0, json.GetProperty("tensors").GetProperty("count").GetInt32());
        Assert.False(json.GetProperty("chat_template").GetBoolean());
    }

    [Fact]
    public async Task Gguf_model_reports_hyperparameters_and_bytes_per_type()
    {
        using var scratch = new ScratchDirectory();
        var model = new TinyModel(TinyModel.Llama(layers: 2));
        var path = scratch.File("tiny.gguf");
        model.WriteGguf(path, GgmlType.F16);

        var json = await InspectJson(path);

        var hp = json.GetProperty("hyperparameters");
        Assert.Equal(32, hp.GetProperty("hidden_size").GetInt32());
        Assert.Equal(2, hp.GetProperty("layers").GetInt32());
        Assert.Equal(4, hp.GetProperty("heads").GetInt32());
        Assert.Equal(2, hp.GetProperty("kv_heads").GetInt32());
        Assert.Equal(24, hp.GetProperty("intermediate_size").GetInt32());
        var elements = model.Weights.Values.Sum(w => (long)w.Length);
        var f16 = json.GetProperty("tensors").GetProperty("by_type").GetProperty("F16");
        Assert.Equal(model.Weights.Count, f16.GetProperty("count").GetInt32());
        Assert.Equal(elements, f16.GetProperty("elements").GetInt64());
        Assert.Equal(elements * 2, f16.GetProperty("bytes").GetInt64());
        Assert.Equal(elements * 2, json.GetProperty("tensors").GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Hugging_face_folder_reports_class_weights_and_chat_template()
    {
        using var scratch = new ScratchDirectory();
        var model = new TinyModel(TinyModel.Llama());
        model.WriteHfFolder(scratch.Path);
        scratch.Write("tokenizer_config.json", """{"chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}", "bos_token": "<s>"}""");

        var json = await InspectJson(scratch.Path);

        Assert.Equal("huggingface", json.GetProperty("format").GetString());
        Assert.Equal("LlamaForCausalLM", json.GetProperty("architecture").GetString());
        Assert.True(json.GetProperty("chat_template").GetBoolean());
        var f32 = json.GetProperty("tensors").GetProperty("by_type").GetProperty("F32");
        Assert.Equal(model.Weights.Values.Sum(w => (long)w.Length) * 4, f32.GetProperty("bytes").GetInt64());
        // No tokenizer.json: reported, not fatal.
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tokenizer").ValueKind);
        Assert.Contains("tokenizer.json", json.GetProperty("tokenizer_problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_output_names_the_parts()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("tiny.gguf");
        new TinyModel(TinyModel.Llama()).WriteGguf(path);
        var (code, stdout, _) = await CliRunner.RunAsync("inspect", path);
        Assert.Equal(0, code);
        Assert.Contains("architecture:   llama", stdout, StringComparison.Ordinal);
        Assert.Contains("F32", stdout, StringComparison.Ordinal);
        Assert.Contains("chat template:  absent", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000/v1#tiny", "an endpoint")]
    [InlineData("/no/such/model.gguf", "not a file, not a folder")]
    public async Task Unusable_references_are_one_line_errors(string reference, string expected)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("inspect", reference);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_gguf_names_the_field_and_offset()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("tiny.gguf");
        new TinyModel(TinyModel.Llama()).WriteGguf(path);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(path, bytes[..100], TestContext.Current.CancellationToken);

        var (code, _, stderr) = await CliRunner.RunAsync("inspect", path);

        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("tiny.gguf", stderr, StringComparison.Ordinal);
        Assert.Contains("offset", stderr, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> InspectJson(string model)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("inspect", model, "--json");
        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        return JsonDocument.Parse(lines[^1]).RootElement.Clone();
    }
}
