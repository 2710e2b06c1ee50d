namespace AlignLab.Engine.Tests.Templates;

/// <summary>Assignments inside a for loop or macro do not leak; if blocks do; namespace() carries values out. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class ScopingTests
{
    [Theory]
    [InlineData("{% set x = 1 %}{% for i in l %}{% set x = i %}{% endfor %}{{ x }}", "1")]
    [InlineData("{% set ns = namespace(x=1) %}{% for i in l %}{% set ns.x = ns.x + i %}{% endfor %}{{ ns.x }}", "7")]
    [InlineData("{% if true %}{% set y = 2 %}{% endif %}{{ y }}", "2")]
    [InlineData("{% for i in l %}{% if i == 2 %}{% set y = 5 %}{% endif %}[{{ y }}]{% endfor %}", "[][5][]")]
    [InlineData("{% set y = 1 %}{% for i in l %}[{{ y }}]{% set y = i * 10 %}({{ y }}){% endfor %}{{ y }}", "[1](10)[1](20)[1](30)1")]
    [InlineData("{% macro m() %}{% set z = 1 %}{% endmacro %}{{ m() }}[{{ z }}]", "[]")]
    [InlineData("{% set x %}a{{ 1 + 1 }}b{% endset %}{{ x }}|{{ x|length }}", "a2b|3")]
    [InlineData("{% set x | upper | replace('B', '-') %}abc{% endset %}{{ x }}", "A-C")]
    [InlineData("{% set a, b = 1, 2 %}{{ a }}{{ b }}", "12")]
    [InlineData("{% set x = 5 %}{% set x = x + 1 %}{{ x }}", "6")]
    [InlineData("{% set ns = 1 %}{% set ns.x = 2 %}", "error: cannot assign attribute on non-namespace object")]
    [InlineData("{% macro m() %}{{ x }}{% endmacro %}{{ m() }}{% set x = 3 %}{{ m() }}", "3")]
    [InlineData("{% set s = 'shadow' %}{{ s }}", "shadow")]
    [InlineData("{% for i in [1] %}{% set l = 'inner' %}{{ l }}{% endfor %}{{ l }}", "inner[1, 2, 3]")]
    public void Scoping_follows_Jinja2(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
