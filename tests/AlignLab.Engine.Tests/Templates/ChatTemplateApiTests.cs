using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Templates;

namespace AlignLab.Engine.Tests.Templates;

public class ChatTemplateApiTests
{
    private const string Simple = "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}";

    [Fact]
    public void RenderConversation_passes_the_four_standard_variables_and_extras()
    {
        var template = ChatTemplate.Parse(Simple + "{{ extra }}");
        var messages = JsonNode.Parse("""[{"role": "user", "content": "hi"}]""")!;
        var text = template.RenderConversation(messages, addGenerationPrompt: true, "<s>", "</s>", new Dictionary<string, object?> { ["extra"] = "!" });
        Assert.Equal("<s><user>hi<assistant>!", text);
    }

    [Fact]
    public void Plain_dotnet_values_are_accepted()
    {
        var messages = new List<Dictionary<string, object?>> { new() { ["role"] = "user", ["content"] = "hi" } };
        Assert.Equal("<user>hi", ChatTemplate.Parse(Simple).RenderConversation(messages, addGenerationPrompt: false));
        var untyped = new List<object?> { new Dictionary<string, object?> { ["role"] = "user", ["content"] = "hi" } };
        Assert.Equal("<user>hi", ChatTemplate.Parse(Simple).RenderConversation(untyped, addGenerationPrompt: false));
        var values = new Dictionary<string, object?> { ["i"] = 3, ["f"] = 2.0f, ["m"] = 1.5m, ["c"] = 'x', ["b"] = (byte)7 };
        Assert.Equal("3 2.0 1.5 x 7", ChatTemplate.Parse("{{ i }} {{ f }} {{ m }} {{ c }} {{ b }}").Render(values));
    }

    [Fact]
    public void Unsupported_values_are_rejected_up_front()
        => Assert.Throws<ArgumentException>(() => ChatTemplate.Parse("x").Render(new Dictionary<string, object?> { ["v"] = new object() }));

    [Fact]
    public void Json_keeps_key_order_and_the_int_float_distinction()
    {
        using var document = JsonDocument.Parse("""{"z": 1, "a": 1.0, "m": 1e2, "big": 123456789012, "s": "é"}""");
        var variables = new Dictionary<string, object?> { ["o"] = document.RootElement };
        Assert.Equal(
            """{'z': 1, 'a': 1.0, 'm': 100.0, 'big': 123456789012, 's': 'é'} {"z": 1, "a": 1.0, "m": 100.0, "big": 123456789012, "s": "é"}""",
            ChatTemplate.Parse("{{ o }} {{ o|tojson }}").Render(variables));
        var node = JsonNode.Parse("""{"k": [true, null, 2]}""");
        Assert.Equal("{'k': [True, None, 2]}", ChatTemplate.Parse("{{ o }}").Render(new Dictionary<string, object?> { ["o"] = node }));
        Assert.Equal("5", ChatTemplate.Parse("{{ o.v }}").Render(new Dictionary<string, object?> { ["o"] = new JsonObject { ["v"] = 5 } }));
    }

    [Fact]
    public void Strftime_now_uses_the_given_clock_time()
    {
        var template = ChatTemplate.Parse("{{ strftime_now('%d %b %Y %H:%M') }}");
        var options = new TemplateOptions { Now = new DateTimeOffset(2024, 7, 26, 13, 5, 0, TimeSpan.FromHours(2)) };
        Assert.Equal("26 Jul 2024 13:05", template.Render(new Dictionary<string, object?>(), options));
        Assert.Equal(DateTime.Now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ChatTemplate.Parse("{{ strftime_now('%Y') }}").Render(new Dictionary<string, object?>()));
    }

    [Fact]
    public void One_parsed_template_renders_concurrently()
    {
        var template = ChatTemplate.Parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{{ m }}{% endfor %}{{ ns.n }}");
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = template.RenderConversation(Enumerable.Range(0, i % 5).ToList(), false));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(string.Concat(Enumerable.Range(0, i % 5)) + (i % 5), results[i]);
        }
    }

    [Fact]
    public void Name_and_source_are_kept()
    {
        var template = ChatTemplate.Parse("x", "my.jinja");
        Assert.Equal(("my.jinja", "x"), (template.Name, template.Source));
    }
}
