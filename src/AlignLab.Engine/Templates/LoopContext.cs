namespace AlignLab.Engine.Templates;

/// <summary>
/// The <c>loop</c> variable of a for loop. One object serves all iterations (a template that keeps
/// a reference, like <c>{% set outer = loop %}</c>, sees it advance, as in Jinja2).
/// </summary>
internal sealed class LoopContext(IReadOnlyList<object?> items)
{
    private static readonly object NoValue = new();
    private object? _lastChanged = NoValue;

    public int Index0 { get; set; }

    public object? GetAttribute(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new Undefined("there is no previous item"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : new Undefined("there is no next item"),
        "cycle" => new BuiltinFunction("cycle", (_, args) => Cycle(args)),
        "changed" => new BuiltinFunction("changed", (_, args) => Changed(args)),
        _ => Undefined.Missing(this, name),
    };

    private object? Cycle(CallArguments arguments)
    {
        var values = arguments.Positional;
        return values.Count == 0 ? throw new TemplateException("no items for cycling given") : values[Index0 % values.Count];
    }

    /// <summary>True the first time and whenever the arguments differ from the previous call's.</summary>
    private bool Changed(CallArguments arguments)
    {
        var value = new PyTuple([.. arguments.Positional]);
        if (_lastChanged != NoValue && Operations.Equal(_lastChanged, value))
        {
            return false;
        }
        _lastChanged = value;
        return true;
    }
}
