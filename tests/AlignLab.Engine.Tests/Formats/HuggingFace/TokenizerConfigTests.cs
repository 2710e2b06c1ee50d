using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.HuggingFace;

public class TokenizerConfigTests
{
    private static TokenizerConfig Read(string json)
    {
        using var dir = new ScratchDirectory();
        return TokenizerConfig.Read(dir.Write("tokenizer_config.json", json));
    }

    [Fact]
    public void Reads_string_template_and_plain_tokens()
    {
        var t = Read("""
            {"chat_template": "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}", "bos_token": "<s>",
             "eos_token": "</s>", "add_bos_token": true, "add_eos_token": false, "model_max_length": 8192}
            """);
        Assert.StartsWith("{{ bos_token }}", t.ChatTemplate, StringComparison.Ordinal);
        Assert.Empty(t.NamedChatTemplates);
        Assert.Equal(("<s>", "</s>"), (t.BosToken, t.EosToken));
        Assert.True(t.AddBosToken);
        Assert.False(t.AddEosToken);
        Assert.Equal(8192, t.ModelMaxLength);
    }

    [Fact]
    public void Reads_added_token_objects_and_a_named_template_list()
    {
        var t = Read("""
            {"bos_token": {"__type": "AddedToken", "content": "<|begin_of_text|>", "lstrip": false, "normalized": true},
             "eos_token": {"content": "<|eot_id|>"},
             "chat_template": [{"name": "default", "template": "D"}, {"name": "tool_use", "template": "T"}],
             "model_max_length": 1000000000000000019884624838656}
            """);
        Assert.Equal("<|begin_of_text|>", t.BosToken);
        Assert.Equal("<|eot_id|>", t.EosToken);
        Assert.Equal("D", t.ChatTemplate);
        Assert.Equal("T", t.NamedChatTemplates["tool_use"]);
        Assert.Null(t.ModelMaxLength);
    }

    [Fact]
    public void Tolerates_an_empty_file_object()
    {
        var t = Read("{}");
        Assert.Null(t.ChatTemplate);
        Assert.Null(t.BosToken);
        Assert.Null(t.AddBosToken);
    }

    [Theory]
    [InlineData("""{"chat_template": 5}""", "chat_template: expected a string, found 5")]
    [InlineData("""{"chat_template": [{"name": "default"}]}""", "chat_template[0].template: missing")]
    [InlineData("""{"bos_token": {"lstrip": true}}""", "bos_token.content: missing")]
    [InlineData("""{"eos_token": ["</s>"]}""", "eos_token: expected a string, found a list")]
    [InlineData("""{"add_bos_token": "true"}""", "add_bos_token: expected true or false")]
    public void Wrong_types_name_file_and_field(string json, string expected)
    {
        using var dir = new ScratchDirectory();
        var path = dir.Write("tokenizer_config.json", json);
        var e = Assert.Throws<ModelFormatException>(() => TokenizerConfig.Read(path));
        Assert.Contains("tokenizer_config.json: " + expected, e.Message, StringComparison.Ordinal);
    }
}
