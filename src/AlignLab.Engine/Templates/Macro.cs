namespace AlignLab.Engine.Templates;

/// <summary>
/// A macro value: its definition plus the scope it was defined in. The scope is captured live, not
/// copied, so the macro sees later assignments there (Python closure semantics, as in Jinja2).
/// </summary>
internal sealed class Macro(MacroNode node, Scope closure) : ITemplateCallable
{
    public string Name => node.Name;

    public object? Call(Evaluator evaluator, CallArguments arguments)
        => evaluator.CallMacro(node, BindArguments(evaluator, arguments));

    /// <summary>
    /// Binds call arguments into a fresh child of the closure, in Jinja2's order: positional
    /// arguments first, then keywords for the remaining parameters, then caller, kwargs and varargs.
    /// </summary>
    private Scope BindArguments(Evaluator evaluator, CallArguments arguments)
    {
        var scope = new Scope(closure);
        var parameters = node.Parameters;
        var positional = arguments.Positional;
        var keywords = new PyDict();
        foreach (var (name, value) in arguments.Keywords)
        {
            keywords[name] = value;
        }
        var unbound = new List<Parameter>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            if (i < positional.Count)
            {
                scope.Set(parameter.Name, positional[i]);
            }
            else if (keywords.TryGetValue(parameter.Name, out var value))
            {
                keywords.Remove(parameter.Name);
                scope.Set(parameter.Name, value);
            }
            else
            {
                unbound.Add(parameter);
            }
        }
        var caller = node.Uses.HasFlag(MacroUses.Caller) && keywords.TryGetValue("caller", out var given) ? given : null;
        if (caller is not null)
        {
            keywords.Remove("caller");
        }
        if (keywords.Count > 0 && !node.Uses.HasFlag(MacroUses.Kwargs))
        {
            throw new TemplateException($"macro '{Name}' takes no keyword argument '{keywords.Keys.First()}'");
        }
        if (positional.Count > parameters.Count && !node.Uses.HasFlag(MacroUses.Varargs))
        {
            throw new TemplateException($"macro '{Name}' takes not more than {parameters.Count} argument(s)");
        }
        // Defaults are evaluated at call time in the macro's scope, so they may use earlier parameters.
        foreach (var parameter in unbound)
        {
            scope.Set(parameter.Name, parameter.Default is null
                ? new Undefined($"parameter '{parameter.Name}' was not provided")
                : evaluator.Eval(parameter.Default, scope));
        }
        SetSpecialNames(scope, positional, keywords, caller);
        return scope;
    }

    private void SetSpecialNames(Scope scope, List<object?> positional, PyDict extraKeywords, object? caller)
    {
        if (node.Uses.HasFlag(MacroUses.Varargs))
        {
            scope.Set("varargs", new PyTuple([.. positional.Skip(node.Parameters.Count)]));
        }
        if (node.Uses.HasFlag(MacroUses.Kwargs))
        {
            scope.Set("kwargs", extraKeywords);
        }
        if (node.Uses.HasFlag(MacroUses.Caller))
        {
            scope.Set("caller", caller ?? new Undefined("No caller defined"));
        }
    }
}
