using AlignLab.Engine.Formats;
using AlignLab.Engine.Templates;

namespace AlignLab.Engine.Tests.Templates;

public sealed class ChatTemplateSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alignlab-template-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(_folder, file), text);

    private string RenderFolder() => ChatTemplateSource.FromHuggingFaceFolder(_folder).Render(new Dictionary<string, object?>());

    [Fact]
    public void A_string_chat_template_in_tokenizer_config_is_used()
    {
        Write("tokenizer_config.json", """{"bos_token": "<s>", "chat_template": "A{{ 1 + 1 }}"}""");
        Assert.Equal("A2", RenderFolder());
    }

    [Fact]
    public void Of_a_list_of_named_templates_the_default_is_used()
    {
        Write("tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}""");
        Assert.Equal("D", RenderFolder());
    }

    [Fact]
    public void A_list_without_default_names_what_it_has()
    {
        Write("tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "rag", "template": "R"}]}""");
        var e = Assert.Throws<ModelFormatException>(RenderFolder);
        Assert.Contains("no template named 'default' (found: tool_use, rag)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_template_jinja_is_the_fallback()
    {
        Write("tokenizer_config.json", """{"bos_token": "<s>"}""");
        Write("chat_template.jinja", "J\n");
        Assert.Equal("J", RenderFolder());
    }

    [Fact]
    public void A_folder_without_a_template_is_an_error()
    {
        Assert.Throws<FileNotFoundException>(RenderFolder);
        Write("tokenizer_config.json", "{}");
        Assert.Contains("chat_template: missing", Assert.Throws<ModelFormatException>(RenderFolder).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_position()
    {
        Write("tokenizer_config.json", "{\n  \"chat_template\": oops\n}");
        var e = Assert.Throws<ModelFormatException>(RenderFolder);
        Assert.Contains("tokenizer_config.json: JSON line 2, position 20", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_syntax_errors_name_the_config_file()
    {
        Write("tokenizer_config.json", """{"chat_template": "{% if %}"}""");
        var e = Assert.Throws<TemplateSyntaxException>(RenderFolder);
        Assert.EndsWith("tokenizer_config.json", e.TemplateName, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModel_takes_a_folder_and_refuses_gguf_files_for_now()
    {
        Write("tokenizer_config.json", """{"chat_template": "F"}""");
        Assert.Equal("F", ChatTemplateSource.FromModel(_folder).Render(new Dictionary<string, object?>()));
        Write("model.gguf", "GGUF");
        Assert.Throws<NotSupportedException>(() => ChatTemplateSource.FromModel(Path.Combine(_folder, "model.gguf")));
        Assert.Throws<FileNotFoundException>(() => ChatTemplateSource.FromModel(Path.Combine(_folder, "absent")));
    }
}
