namespace AlignLab.Engine.Tests.Templates;

/// <summary>The is-tests. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class TestExpressionTests
{
    [Theory]
    [InlineData("{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}{{ none is none }}{{ s is string }}{{ d is mapping }}{{ l is mapping }}{{ l is iterable }}{{ s is sequence }}{{ d is sequence }}", "TrueTrueTrueFalseTrueTrueTrueFalseTrueTrueTrue")]
    [InlineData("{{ 1 is number }}{{ t is number }}{{ 1 is integer }}{{ t is integer }}{{ 1.0 is float }}{{ t is boolean }}{{ 1 is boolean }}{{ t is true }}{{ 0 is false }}{{ false is false }}", "TrueTrueTrueFalseTrueTrueFalseTrueFalseTrue")]
    [InlineData("{{ 1 is eq 1 }}{{ 1 is equalto 2 }}{{ 2 is gt 1 }}{{ 2 is lt 1 }}{{ 2 is in l }}{{ 2 is ne 3 }}{{ 1 is ge 1 }}{{ 1 is le 0 }}", "TrueFalseTrueFalseTrueTrueTrueFalse")]
    [InlineData("{{ missing is iterable }}{{ missing is sequence }}{{ missing is undefined }}{{ none is sameas none }}{{ l is sequence }}{{ 1 is iterable }}{{ msgs|map('upper') is iterable }}{{ 3.0 is odd }}", "TrueTrueTrueTrueTrueFalseTrueTrue")]
    [InlineData("{{ 1 is nosuchtest }}", "syntax: No test named 'nosuchtest'.")]
    [InlineData("{% if false %}{{ 1 is nosuchtest }}{% endif %}ok", "ok")]
    [InlineData("{% if true %}{{ 1 is nosuchtest }}{% endif %}ok", "error: No test named 'nosuchtest' found.")]
    public void Tests_answer_like_Jinja2(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
