namespace AlignLab.Engine.Templates;

/// <summary>
/// A frame of variables. Jinja2 scoping: each for-loop iteration, macro call, set block and filter
/// block gets a child scope, so a <c>set</c> there does not leak out; if blocks share their
/// parent's scope. Lookups walk outward; the evaluator falls back to the globals.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Scope? _parent = parent;
    private Dictionary<string, object?>? _variables;

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._variables is not null && scope._variables.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }

    public void Set(string name, object? value) => (_variables ??= new(StringComparer.Ordinal))[name] = value;
}
