namespace AlignLab.Engine.Templates;

/// <summary>
/// The Python methods templates call on str and dict values (<c>s.strip()</c>, <c>d.get(k)</c>, ...).
/// Mutating list and dict methods exist but are unsafe, as in Jinja2's ImmutableSandboxedEnvironment.
/// </summary>
internal static class Methods
{
    private static readonly HashSet<string> ListMutators = new(StringComparer.Ordinal)
        { "append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort" };

    private static readonly HashSet<string> DictMutators = new(StringComparer.Ordinal)
        { "clear", "pop", "popitem", "setdefault", "update" };

    /// <summary>The bound method <paramref name="name"/> of <paramref name="target"/>, or an unsafe Undefined for a mutator.</summary>
    public static bool TryGet(object? target, string name, out object? method)
    {
        method = target switch
        {
            string or SafeString => StringMethod(Operations.AsString(target)!, name),
            PyDict dict => DictMutators.Contains(name) ? Undefined.Unsafe(target, name) : DictMethod(dict, name),
            List<object?> when ListMutators.Contains(name) => Undefined.Unsafe(target, name),
            _ => null,
        };
        return method is not null;
    }

    private static BuiltinFunction? StringMethod(string s, string name) => name switch
    {
        "strip" => Bound(name, (_, a) => Strings.Strip(s, OptionalChars(a, name))),
        "lstrip" => Bound(name, (_, a) => Strings.Strip(s, OptionalChars(a, name), right: false)),
        "rstrip" => Bound(name, (_, a) => Strings.Strip(s, OptionalChars(a, name), left: false)),
        "split" => Bound(name, (_, a) => Split(s, a)),
        "startswith" => Bound(name, (_, a) => Affix(s, a, name, (text, affix) => text.StartsWith(affix, StringComparison.Ordinal))),
        "endswith" => Bound(name, (_, a) => Affix(s, a, name, (text, affix) => text.EndsWith(affix, StringComparison.Ordinal))),
        "replace" => Bound(name, (e, a) => Replace(e, s, a)),
        "format" => Bound(name, (e, a) => StringFormat.Format(s, a, e.MaxLength)),
        "lower" => Bound(name, (_, _) => Strings.Lower(s)),
        "upper" => Bound(name, (_, _) => Strings.Upper(s)),
        "title" => Bound(name, (_, _) => Strings.Title(s)),
        "capitalize" => Bound(name, (_, _) => Strings.Capitalize(s)),
        _ => null,
    };

    private static BuiltinFunction? DictMethod(PyDict dict, string name) => name switch
    {
        "get" => Bound(name, (_, a) => Get(dict, a)),
        // Python returns views here; lists print differently but iterate, measure and compare the same.
        "items" => Bound(name, (_, _) => dict.Select(kv => (object?)PyTuple.Pair(kv.Key, kv.Value)).ToList()),
        "keys" => Bound(name, (_, _) => dict.Keys.Cast<object?>().ToList()),
        "values" => Bound(name, (_, _) => dict.Values.ToList()),
        _ => null,
    };

    private static BuiltinFunction Bound(string name, Func<Evaluator, CallArguments, object?> body) => new(name, body);

    private static string? OptionalChars(CallArguments arguments, string method)
    {
        var chars = Arg.Or(arguments.Bind(method, "chars")[0], null);
        return chars is null ? null : Operations.AsString(chars) ?? throw new TemplateException($"{method} arg must be None or str");
    }

    private static List<object?> Split(string s, CallArguments arguments)
    {
        var bound = arguments.Bind("split", "sep", "maxsplit");
        var separator = Arg.Or(bound[0], null);
        var maxSplit = Arg.Or(bound[1], -1L);
        if (separator is not null && !Operations.IsString(separator))
        {
            throw new TemplateException($"must be str or None, not {Operations.TypeName(separator)}");
        }
        return Strings.SplitBy(s, Operations.AsString(separator), Operations.IsInteger(maxSplit)
            ? Operations.ToLong(maxSplit)
            : throw new TemplateException($"'{Operations.TypeName(maxSplit)}' object cannot be interpreted as an integer"));
    }

    /// <summary>startswith/endswith: the affix may be a str or a tuple of str.</summary>
    private static bool Affix(string s, CallArguments arguments, string method, Func<string, string, bool> matches)
    {
        var bound = arguments.Bind(method, "prefix");
        Arg.Require(method, "prefix", bound[0]);
        return bound[0] switch
        {
            PyTuple options => options.Any(o => matches(s, Operations.AsString(o)
                ?? throw new TemplateException($"tuple for {method} must only contain str, not {Operations.TypeName(o)}"))),
            var affix when Operations.AsString(affix) is { } text => matches(s, text),
            var affix => throw new TemplateException(
                $"{method} first arg must be str or a tuple of str, not {Operations.TypeName(affix)}"),
        };
    }

    private static string Replace(Evaluator evaluator, string s, CallArguments arguments)
    {
        var bound = arguments.Bind("replace", "old", "new", "count");
        Arg.Require("replace", "old", bound[0]);
        Arg.Require("replace", "new", bound[1]);
        var old = Operations.AsString(bound[0]) ?? throw new TemplateException($"replace() argument 1 must be str, not {Operations.TypeName(bound[0])}");
        var replacement = Operations.AsString(bound[1]) ?? throw new TemplateException($"replace() argument 2 must be str, not {Operations.TypeName(bound[1])}");
        var count = Arg.Or(bound[2], -1L);
        return Strings.Replace(s, old, replacement, Operations.IsInteger(count) ? Operations.ToLong(count) : -1, evaluator.MaxLength);
    }

    private static object? Get(PyDict dict, CallArguments arguments)
    {
        var bound = arguments.Bind("get", "key", "default");
        Arg.Require("get", "key", bound[0]);
        if (bound[0] is not null && !PyDict.IsHashable(bound[0]!))
        {
            throw Operations.Unhashable(bound[0]);
        }
        return dict.TryGetValue(bound[0], out var value) ? value : Arg.Or(bound[1], null);
    }
}
