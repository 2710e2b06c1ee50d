using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Models;

public sealed class LocalModelTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string RenderFolderTemplate()
    {
        using var model = LocalModel.Open(_dir.Path);
        return model.LoadChatTemplate().Render(new Dictionary<string, object?>());
    }

    [Fact]
    public void A_string_chat_template_in_tokenizer_config_is_used()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("tokenizer_config.json", """{"bos_token": "<s>", "chat_template": "A{{ 1 + 1 }}"}""");
        Assert.Equal("A2", RenderFolderTemplate());
    }

    [Fact]
    public void Of_a_list_of_named_templates_the_default_is_used()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}""");
        Assert.Equal("D", RenderFolderTemplate());
    }

    [Fact]
    public void A_list_without_default_names_what_it_has()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "rag", "template": "R"}]}""");
        var e = Assert.Throws<ModelFormatException>(RenderFolderTemplate);
        Assert.Contains("chat_template: no template named 'default' (found: tool_use, rag)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenizer_config_wins_over_chat_template_jinja_which_is_the_fallback()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("chat_template.jinja", "J\n");
        _dir.Write("tokenizer_config.json", """{"bos_token": "<s>"}""");
        Assert.Equal("J", RenderFolderTemplate());
        _dir.Write("tokenizer_config.json", """{"bos_token": "<s>", "chat_template": "C"}""");
        Assert.Equal("C", RenderFolderTemplate());
    }

    [Fact]
    public void A_folder_without_a_template_is_an_error_naming_where_it_looked()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("tokenizer_config.json", "{}");
        var e = Assert.Throws<ModelFormatException>(RenderFolderTemplate);
        Assert.Contains("tokenizer_config.json: chat_template: missing, and there is no chat_template.jinja beside it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_tokenizer_config_names_the_file()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("tokenizer_config.json", "{\n  \"chat_template\": oops\n}");
        var e = Assert.Throws<ModelFormatException>(RenderFolderTemplate);
        Assert.Contains("tokenizer_config.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_syntax_errors_name_the_config_file()
    {
        _dir.Write("tokenizer.json", "{}");
        _dir.Write("tokenizer_config.json", """{"chat_template": "{% if %}"}""");
        var e = Assert.Throws<TemplateSyntaxException>(RenderFolderTemplate);
        Assert.EndsWith("tokenizer_config.json", e.TemplateName, StringComparison.Ordinal);
    }

    [Fact]
    public void Gguf_template_bos_and_eos_come_from_the_metadata()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "llama");
        writer.AddMetadata("tokenizer.ggml.tokens", new[] { "<unk>", "<s>", "</s>", "a" });
        writer.AddMetadata("tokenizer.ggml.bos_token_id", 1u);
        writer.AddMetadata("tokenizer.ggml.eos_token_id", 2u);
        writer.AddMetadata("tokenizer.chat_template", "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}");
        var path = _dir.File("m.gguf");
        writer.Write(path);

        using var model = LocalModel.Open(path);

        Assert.Equal(LocalModelFormat.Gguf, model.Format);
        Assert.True(model.HasChatTemplate);
        Assert.Equal("<s>", model.BosToken);
        Assert.Equal("</s>", model.EosToken);
        var rendered = model.LoadChatTemplate().RenderConversation(
            TemplateValues.FromJson(System.Text.Json.JsonDocument.Parse("""[{"role": "user", "content": "hi"}]""").RootElement)!,
            addGenerationPrompt: false, model.BosToken!, model.EosToken!);
        Assert.Equal("<s>hi</s>", rendered);
    }

    [Fact]
    public void Gguf_without_a_template_says_so()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "llama");
        var path = _dir.File("m.gguf");
        writer.Write(path);
        using var model = LocalModel.Open(path);
        Assert.False(model.HasChatTemplate);
        Assert.Contains("tokenizer.chat_template: missing", Assert.Throws<ModelFormatException>(() => model.LoadChatTemplate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tokenizer_only_folder_has_no_config_or_weights()
    {
        _dir.Write("tokenizer.json", "{}");
        using var model = LocalModel.Open(_dir.Path);
        Assert.Equal(LocalModelFormat.TokenizerFolder, model.Format);
        Assert.False(model.HasWeights);
        Assert.Contains("config.json: missing", Assert.Throws<ModelFormatException>(() => model.ReadConfig()).Message, StringComparison.Ordinal);
    }
}
