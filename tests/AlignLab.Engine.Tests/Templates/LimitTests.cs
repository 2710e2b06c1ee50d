using AlignLab.Engine.Templates;

namespace AlignLab.Engine.Tests.Templates;

/// <summary>The sandbox limits stop hostile templates from hanging or exhausting memory.</summary>
public class LimitTests
{
    private static string Render(string source, TemplateOptions options)
        => ChatTemplate.Parse(source).Render(new Dictionary<string, object?>(), options);

    [Fact]
    public void Loop_iterations_are_bounded_over_all_loops()
    {
        var e = Assert.Throws<TemplateLimitException>(() => Render(
            "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
            new TemplateOptions { MaxLoopIterations = 10_000 }));
        Assert.Contains("10000 iterations", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unbounded_macro_recursion_stops_at_the_depth_limit()
    {
        var e = Assert.Throws<TemplateLimitException>(() => Render(
            "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}", TemplateOptions.Default));
        Assert.Contains("nested more than 200", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_recursion_limit_still_cannot_overflow_the_stack()
        => Assert.Throws<TemplateLimitException>(() => Render(
            "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}", new TemplateOptions { MaxRecursionDepth = int.MaxValue }));

    [Theory]
    [InlineData("{% for i in range(100) %}{{ 'x' * 1000 }}{% endfor %}")]
    [InlineData("{{ 'a' * 100000000000 }}")]
    [InlineData("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}")]
    [InlineData("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = [ns.s, ns.s]|join %}{% endfor %}")]
    [InlineData("{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l }}")]
    [InlineData("{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l|tojson }}")]
    [InlineData("{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}")]
    [InlineData("{{ 'ab'|replace('', 'x' * 5000) }}{{ ('y' * 9000)|replace('', 'x' * 9000) }}")]
    public void Output_and_built_values_are_bounded(string source)
        => Assert.Throws<TemplateLimitException>(() => Render(source, new TemplateOptions { MaxOutputLength = 50_000 }));

    [Fact]
    public void Items_that_filters_and_in_go_through_count_as_iterations()
    {
        var options = new TemplateOptions { MaxLoopIterations = 50_000 };
        Assert.Throws<TemplateLimitException>(() => Render("{% for i in range(100) %}{{ range(1000)|sum }}{% endfor %}", options));
        Assert.Throws<TemplateLimitException>(() => Render("{% set l = range(1000)|list %}{% for i in range(100) %}{{ 5000 in l }}{% endfor %}", options));
    }

    [Fact]
    public void Work_the_counters_do_not_see_is_bounded_by_the_timeout()
    {
        var e = Assert.Throws<TemplateLimitException>(() => Render(
            "{% set s = 'x' * 20000000 %}{% for i in range(100000) %}{% if 'y' in s %}{% endif %}{% endfor %}",
            new TemplateOptions { Timeout = TimeSpan.FromMilliseconds(100) }));
        Assert.Contains("took longer than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ranges_follow_the_sandbox_maximum()
        => Assert.Equal(
            "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
            Assert.Throws<TemplateLimitException>(() => Render("{{ range(2, 300000) }}", TemplateOptions.Default)).Message);

    [Fact]
    public void Deeply_nested_syntax_is_a_syntax_error_not_a_crash()
    {
        var expression = new string('(', 5000) + "1" + new string(')', 5000);
        Assert.Contains("nested more than", Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("{{ " + expression + " }}")).Problem, StringComparison.Ordinal);
        var blocks = string.Concat(Enumerable.Repeat("{% if true %}", 5000));
        Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse(blocks));
        Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("{{ " + string.Concat(Enumerable.Repeat("not ", 5000)) + "x }}"));
        Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("{{ " + new string('-', 5000) + "1 }}"));
    }
}
