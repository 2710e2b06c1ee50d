namespace AlignLab.Engine.Tests.Templates;

/// <summary>Whitespace control follows trim_blocks, lstrip_blocks and the - and + modifiers, and one trailing newline is dropped. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class WhitespaceControlTests
{
    [Theory]
    [InlineData("{% if true %}\n  yes\n{% endif %}\n", "  yes\n")]
    [InlineData("  {% if true %}\nA\n  {% endif %}\nB", "A\nB")]
    [InlineData("a  {%- if true -%}  b  {%- endif -%}  c", "abc")]
    [InlineData("a {%+ if true %}b{% endif %}", "a b")]
    [InlineData("  {%+ if true %}b{% endif %}", "  b")]
    [InlineData("{% if true +%}\nA{% endif %}", "\nA")]
    [InlineData("x\n  {# comment #}\ny", "x\ny")]
    [InlineData("x {#- c -#} y", "xy")]
    [InlineData("{{ 1 }}\n{{ 2 }}\n", "1\n2")]
    [InlineData("a\r\nb\rc\r\n", "a\nb\nc")]
    [InlineData("  {{ 'var' }}  \n", "  var  ")]
    [InlineData("{% for i in l %}\n  {{ i }}\n{% endfor %}", "  1\n  2\n  3\n")]
    [InlineData("{{- ' x ' -}}\n", " x ")]
    [InlineData("a {% if true %}\n{% endif %}b", "a b")]
    [InlineData("\t{% if true %}tab{% endif %}", "tab")]
    [InlineData("{% for i in l -%}\n  {{ i }}\n{%- endfor %}", "123")]
    [InlineData("{{ 'a' }}\n  {% if true %}x{% endif %}", "a\nx")]
    [InlineData("{{ 'a' -}}\n  {% if true %}x{% endif %}", "ax")]
    [InlineData("{{ {'a': {'b': 1}} }}", "{'a': {'b': 1}}")]
    public void Renders_with_Jinja2_whitespace_rules(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
