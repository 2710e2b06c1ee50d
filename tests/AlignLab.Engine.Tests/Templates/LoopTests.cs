namespace AlignLab.Engine.Tests.Templates;

/// <summary>for loops: loop variables, else, filters, unpacking, break/continue. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class LoopTests
{
    [Theory]
    [InlineData("{% for x in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}", "1032TrueFalse3|2121FalseFalse3|3210FalseTrue3|")]
    [InlineData("{% for x in l %}{{ loop.previtem }}-{{ loop.nextitem }},{% endfor %}", "-2,1-3,2-,")]
    [InlineData("{% for x in l %}{{ loop.cycle('a', 'b') }}{% endfor %}", "aba")]
    [InlineData("{% for x in e %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for x in l if x > 1 %}{{ x }}{{ loop.length }}{% else %}none{% endfor %}", "2232")]
    [InlineData("{% for x in l if x > 5 %}{{ x }}{% else %}none{% endfor %}", "none")]
    [InlineData("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "a=1;b=[1, 2];items=key;")]
    [InlineData("{% for k in d %}{{ k }}{% endfor %}", "abitems")]
    [InlineData("{% for c in u %}[{{ c }}]{% endfor %}", "[é][🎉][x]")]
    [InlineData("{% for x in [1, 2, 3, 4] %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}", "13")]
    [InlineData("{% for a in [1, 2] %}{% set outer = loop %}{% for b in [3, 4] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}", "11 12 21 22 ")]
    [InlineData("{% for a, (b, c) in [(1, (2, 3))] %}{{ a }}{{ b }}{{ c }}{% endfor %}", "123")]
    [InlineData("{% for x in n %}{% endfor %}", "error: 'NoneType' object is not iterable")]
    [InlineData("{% for a, b in [(1, 2, 3)] %}{% endfor %}", "error: too many values to unpack (expected 2)")]
    [InlineData("{% for x in [1, 1, 2] %}{{ loop.changed(x) }}{% endfor %}", "TrueFalseTrue")]
    [InlineData("{% for x in missing %}x{% else %}no items{% endfor %}", "no items")]
    public void Loops_behave_like_Jinja2(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
