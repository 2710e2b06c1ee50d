namespace AlignLab.Engine.Tests.Templates;

/// <summary>range, namespace, dict, raise_exception and strftime_now. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class GlobalTests
{
    [Theory]
    [InlineData("{{ range(3)|list }}{{ range(1, 7, 2)|list }}{{ range(3, 0, -1)|list }}{{ range(0)|list }}{{ range(5, 1)|list }}", "[0, 1, 2][1, 3, 5][3, 2, 1][][]")]
    [InlineData("{{ range(100001)|length }}", "error: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).")]
    [InlineData("{{ range(100000)|length }}", "100000")]
    [InlineData("{% set ns = namespace(a=1, b='x') %}{{ ns.a }}{{ ns.b }}{{ ns.c is defined }}{{ ns.c }}", "1xFalse")]
    [InlineData("{% set ns = namespace(d) %}{{ ns.a }}{{ ns['b'] }}", "1[1, 2]")]
    [InlineData("{{ dict(a=1, b=2) }}{{ dict(d, z=0) }}", "{'a': 1, 'b': 2}{'a': 1, 'b': [1, 2], 'items': 'key', 'z': 0}")]
    [InlineData("{{ raise_exception('Boom: ' ~ s) }}", "error: Boom: Hello")]
    [InlineData("{{ strftime_now('%Y-%m-%d %H:%M:%S %B %b %A %a %d %j %p %y %I %e %% %-d %m/%-m') }}", "2026-01-02 03:04:05 January Jan Friday Fri 02 002 AM 26 03  2 % 2 01/1")]
    [InlineData("[{{ bos_token }}]", "[]")]
    [InlineData("{{ strftime_now('%D|%x|%X|%R|%T|%Z|%c|%u|%w|%F|%e|%f|%I|%h') }}", "01/02/26|01/02/26|03:04:05|03:04|03:04:05||Fri Jan  2 03:04:05 2026|5|5|2026-01-02| 2|000000|03|Jan")]
    public void Globals_behave_like_transformers(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
