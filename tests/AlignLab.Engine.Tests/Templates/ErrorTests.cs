using AlignLab.Engine.Templates;

namespace AlignLab.Engine.Tests.Templates;

/// <summary>Parse errors name template, line and column on one line; render errors carry Jinja2's message.</summary>
public class ErrorTests
{
    [Theory]
    [InlineData("{{ x + }}", 1, 8, "unexpected 'end of print statement'")]
    [InlineData("a\n  {% foo %}", 2, 6, "Encountered unknown tag 'foo'.")]
    [InlineData("{% for x in l %}{% endif %}", 1, 20, "Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.")]
    [InlineData("one\n{% if x %}\nno end", 3, 7, "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.")]
    [InlineData("{% break %}", 1, 4, "'break' outside loop")]
    [InlineData("{% for x in l %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}", 1, 35, "'continue' outside loop")]
    [InlineData("text {# never closed", 1, 6, "Missing end of comment tag")]
    [InlineData("{{ 'abc }}", 1, 4, "unexpected end of string")]
    [InlineData("{{ (1 }}", 1, 7, "unexpected '}', expected ')'")]
    [InlineData("x\n{{ y|nosuch }}", 2, 6, "No filter named 'nosuch'.")]
    [InlineData("{% set 1 = 2 %}", 1, 8, "can't assign to '1'")]
    [InlineData("{% for x in l recursive %}{% endfor %}", 1, 15, "recursive loops are not supported")]
    public void Syntax_errors_name_the_template_line_and_column(string source, int line, int column, string problem)
    {
        var e = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse(source, "t.jinja"));
        Assert.Equal((line, column, problem), (e.Line, e.Column, e.Problem));
        Assert.Equal($"t.jinja:{line}:{column}: {problem}", e.Message);
    }

    [Fact]
    public void An_unnamed_template_is_called_chat_template()
    {
        var e = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("{% if %}"));
        Assert.StartsWith("chat_template:1:7: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_exception_gives_exactly_its_message()
    {
        var template = ChatTemplate.Parse("{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with a user message, got: ' ~ messages[0].role) }}{% endif %}ok");
        var e = Assert.Throws<TemplateException>(() => template.RenderConversation(new[] { new Dictionary<string, object?> { ["role"] = "system" } }, false));
        Assert.Equal("Conversation must start with a user message, got: system", e.Message);
        Assert.True(e.RaisedByTemplate);
    }

    [Fact]
    public void Interpreter_errors_are_not_marked_as_raised_by_the_template()
    {
        var e = Assert.Throws<TemplateException>(() => ChatTemplate.Parse("{{ missing.attribute }}").Render(new Dictionary<string, object?>()));
        Assert.Equal("'missing' is undefined", e.Message);
        Assert.False(e.RaisedByTemplate);
    }
}
