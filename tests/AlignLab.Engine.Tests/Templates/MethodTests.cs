namespace AlignLab.Engine.Tests.Templates;

/// <summary>str and dict methods; mutating methods are unsafe in the immutable sandbox. Expected values are what Python Jinja2 3.1 renders (see <see cref="Jinja"/>).</summary>
public class MethodTests
{
    [Theory]
    [InlineData("{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a  '.rstrip() }}|{{ 'a\\n'.rstrip('\\n') }}|{{ '\\u3000a\\x1c'.strip() }}", "a b|a|a|a|a|a")]
    [InlineData("{{ 'a,b,,c'.split(',') }}{{ ' a  b '.split() }}{{ 'a b c'.split(' ', 1) }}{{ 'a b c'.split(maxsplit=1) }}{{ ''.split() }}{{ ''.split(',') }}", "['a', 'b', '', 'c']['a', 'b']['a', 'b c']['a', 'b c'][]['']")]
    [InlineData("{{ 'abc'.split('') }}", "error: empty separator")]
    [InlineData("{{ s.startswith('He') }}{{ s.endswith(('x', 'lo')) }}{{ s.replace('l', 'L') }}{{ s.upper() }}{{ s.lower() }}{{ s.replace('l', 'L', 1) }}{{ 'ab cd'.title() }}{{ 'aB'.capitalize() }}", "TrueTrueHeLLoHELLOhelloHeLloAb CdAb")]
    [InlineData("{{ '{}-{}'.format(1, 'a') }}{{ '{0}{0}{1}'.format('x', 'y') }}{{ '{name}!'.format(name='n') }}{{ '{!r}'.format('q') }}{{ '{{}}{}'.format(5) }}{{ '{}'.format(none) }}{{ '{}'.format(l) }}", "1-axxyn!'q'{}5None[1, 2, 3]")]
    [InlineData("{{ '{}{0}'.format(1) }}", "error: cannot switch from manual field specification to automatic field numbering")]
    [InlineData("{{ '{5}'.format(1) }}", "error: tuple index out of range")]
    [InlineData("{{ d.keys()|list }}{{ d.values()|list|length }}{{ d.items()|list }}", "['a', 'b', 'items']3[('a', 1), ('b', [1, 2]), ('items', 'key')]")]
    [InlineData("{{ l.append(4) }}", "error: access to attribute 'append' of 'list' object is unsafe.")]
    [InlineData("{{ d.pop('a') }}", "error: access to attribute 'pop' of 'dict' object is unsafe.")]
    [InlineData("{{ d.update({}) }}", "error: access to attribute 'update' of 'dict' object is unsafe.")]
    [InlineData("{{ s.nope() }}", "error: 'str object' has no attribute 'nope'")]
    public void Methods_behave_like_Python(string template, string expected) => Assert.Equal(expected, Jinja.Run(template));
}
