namespace AlignLab.Engine.Tests.Templates;

/// <summary>Macros, call blocks with caller(), filter blocks and the generation tag. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class MacroTests
{
    [Theory]
    [InlineData("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet(greeting='Yo', name='Cy') }}", "Hello, Ann! Hi, Bob! Yo, Cy!")]
    [InlineData("{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m() }}", "[]")]
    [InlineData("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}", "error: macro 'm' takes not more than 1 argument(s)")]
    [InlineData("{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k=3) }}", "(1, 2){'k': 3}")]
    [InlineData("{% macro m(x) %}<{{ caller(x) }}>{% endmacro %}{% call(v) m(5) %}v={{ v }}{% endcall %}", "<v=5>")]
    [InlineData("{% macro m() %}<{{ caller() }}>{% endmacro %}{% call m() %}body{% endcall %}", "<body>")]
    [InlineData("{% macro fact(k) %}{% if k <= 1 %}1{% else %}{{ k * fact(k - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}", "120")]
    [InlineData("{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(3) }}", "6")]
    [InlineData("{% macro m(x) %}{{ x }}{% endmacro %}{{ m(x=1, y=2) }}", "error: macro 'm' takes no keyword argument 'y'")]
    [InlineData("{% macro m(x) %}{{ x }}{% endmacro %}{{ m(1, x=2) }}", "error: macro 'm' takes no keyword argument 'x'")]
    [InlineData("{% macro m() %}{{ s }}{% endmacro %}{{ m() }}", "Hello")]
    [InlineData("{% filter upper %}abc {{ s }}{% endfilter %}", "ABC HELLO")]
    [InlineData("{% filter trim %}  x  {% endfilter %}|", "x|")]
    [InlineData("{% macro m() %}x{% endmacro %}{{ m() ~ m() }}{{ m()|length }}", "xx1")]
    [InlineData("{% generation %}gen {{ s }}{% endgeneration %}", "gen Hello")]
    public void Macros_behave_like_Jinja2(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
