using System.Text.Json;
using AlignLab.Engine.Templates;

namespace AlignLab.Engine.Tests.Templates;

/// <summary>Renders a snippet with a fixed set of variables and reports failures as text, so expectations read as one string.</summary>
internal static class Jinja
{
    public const string VariablesJson = """
        {"l": [1, 2, 3], "d": {"a": 1, "b": [1, 2], "items": "key"}, "s": "Hello", "n": null, "t": true, "f": 1.5, "e": [], "u": "é🎉x",
         "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
        """;

    public static readonly TemplateOptions Options = new() { Now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) };

    private static readonly Dictionary<string, object?> Variables = JsonDocument.Parse(VariablesJson).RootElement
        .EnumerateObject().ToDictionary(p => p.Name, p => TemplateValues.FromJson(p.Value));

    /// <summary>The output, "error: MESSAGE" for a render failure, or "syntax: PROBLEM" for a parse failure.</summary>
    public static string Run(string template, TemplateOptions? options = null)
    {
        try
        {
            return ChatTemplate.Parse(template).Render(Variables, options ?? Options);
        }
        catch (TemplateSyntaxException e)
        {
            return "syntax: " + e.Problem;
        }
        catch (TemplateException e)
        {
            return "error: " + e.Message;
        }
    }
}
