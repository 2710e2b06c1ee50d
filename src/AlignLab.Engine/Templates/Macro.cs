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

    /// <summary>Binds call arguments into a fresh child of the closure, with Jinja2's rules and messages.</summary>
    private Scope BindArguments(Evaluator evaluator, CallArguments arguments)
    {
        var scope = new Scope(closure);
        var parameters = node.Parameters;
        var positional = arguments.Positional;
        if (positional.Count > parameters.Count && !node.Uses.HasFlag(MacroUses.Varargs))
        {
            throw new TemplateException($"macro '{Name}' takes not more than {parameters.Count} argument(s)");
        }
        var bound = new bool[parameters.Count];
        for (var i = 0; i < Math.Min(positional.Count, parameters.Count); i++)
        {
            scope.Set(parameters[i].Name, positional[i]);
            bound[i] = true;
        }
        var extraKeywords = new PyDict();
        object? caller = null;
        foreach (var (name, value) in arguments.Keywords)
        {
            var index = IndexOf(name);
            if (index >= 0)
            {
                if (bound[index])
                {
                    throw new TemplateException($"macro '{Name}' got multiple values for argument '{name}'");
                }
                scope.Set(name, value);
                bound[index] = true;
            }
            else if (name == "caller" && node.Uses.HasFlag(MacroUses.Caller))
            {
                caller = value;
            }
            else if (node.Uses.HasFlag(MacroUses.Kwargs))
            {
                extraKeywords[name] = value;
            }
            else
            {
                throw new TemplateException($"macro '{Name}' takes no keyword argument '{name}'");
            }
        }
        // Defaults are evaluated at call time, in the macro's scope, so they may use earlier parameters.
        for (var i = 0; i < parameters.Count; i++)
        {
            if (!bound[i])
            {
                var parameter = parameters[i];
                scope.Set(parameter.Name, parameter.Default is null
                    ? new Undefined($"parameter '{parameter.Name}' was not provided")
                    : evaluator.Eval(parameter.Default, scope));
            }
        }
        SetSpecialNames(scope, positional, extraKeywords, caller);
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

    private int IndexOf(string name)
    {
        for (var i = 0; i < node.Parameters.Count; i++)
        {
            if (node.Parameters[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }
}
