using System.Collections;

namespace AlignLab.Engine.Templates;

// Template values are plain .NET objects mirroring Python's types:
//   None → null, bool → bool, int → long, float → double, str → string, list → List<object?>,
//   tuple → PyTuple, dict → PyDict (insertion-ordered), plus the Jinja-specific kinds below.

/// <summary>
/// Jinja2's default <c>Undefined</c>: prints as "", iterates as empty, is falsy, and fails with its
/// message on anything else (arithmetic, attribute access, calls).
/// </summary>
internal sealed class Undefined(string message)
{
    /// <summary>What the Python error would say when this value is used.</summary>
    public string Message { get; } = message;

    public static Undefined Name(string name) => new($"'{name}' is undefined");

    /// <summary>A missing attribute or key, worded like Jinja2's <c>Undefined._undefined_message</c>.</summary>
    public static Undefined Missing(object? owner, object? key) => key is string name
        ? new($"'{ObjectTypeRepr(owner)}' has no attribute '{name}'")
        : new($"{ObjectTypeRepr(owner)} has no element {Formatting.Repr(key)}");

    /// <summary>What the immutable sandbox gives for a mutating method such as <c>list.append</c>.</summary>
    public static Undefined Unsafe(object? owner, string name)
        => new($"access to attribute '{name}' of '{Operations.TypeName(owner)}' object is unsafe.");

    public TemplateException Fail() => new(Message);

    /// <summary>Jinja2's object_type_repr: the type name, qualified by its module unless built in.</summary>
    private static string ObjectTypeRepr(object? value) => value switch
    {
        null => "None",
        Namespace => "jinja2.utils.Namespace object",
        LoopContext => "jinja2.runtime.LoopContext object",
        Macro => "jinja2.runtime.Macro object",
        SafeString => "markupsafe.Markup object",
        BuiltinFunction => "builtin_function_or_method object",
        _ => Operations.TypeName(value) + " object",
    };
}

/// <summary>markupsafe's <c>Markup</c>: a string the <c>safe</c> filter marked; <c>+</c> escapes the other operand.</summary>
internal sealed record SafeString(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A Python tuple: an immutable list that prints with parentheses.</summary>
internal sealed class PyTuple(IReadOnlyList<object?> items) : IReadOnlyList<object?>
{
    public static PyTuple Pair(object? first, object? second) => new([first, second]);

    public object? this[int index] => items[index];

    public int Count => items.Count;

    public IEnumerator<object?> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A Python dict: keys keep insertion order and compare like Python (1 == 1.0 == True); None is a valid key.</summary>
internal sealed class PyDict : IEnumerable<KeyValuePair<object?, object?>>
{
    // OrderedDictionary rejects null keys, so None is stored as this private stand-in.
    private static readonly object NoneKey = new();

    private readonly OrderedDictionary<object, object?> _items = new(KeyComparer.Instance);

    public int Count => _items.Count;

    public IEnumerable<object?> Keys => _items.Keys.Select(Unwrap);

    public IEnumerable<object?> Values => _items.Values;

    public object? this[object? key]
    {
        set => _items[Wrap(key)] = value;
    }

    public bool TryGetValue(object? key, out object? value)
    {
        value = null;
        return (key is null || IsHashable(key)) && _items.TryGetValue(key ?? NoneKey, out value);
    }

    public bool ContainsKey(object? key) => TryGetValue(key, out _);

    public void Remove(object? key) => _items.Remove(Wrap(key));

    public IEnumerator<KeyValuePair<object?, object?>> GetEnumerator()
        => _items.Select(kv => new KeyValuePair<object?, object?>(Unwrap(kv.Key), kv.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static object Wrap(object? key) => key switch
    {
        null => NoneKey,
        _ when IsHashable(key) => key,
        _ => throw Operations.Unhashable(key),
    };

    private static object? Unwrap(object key) => ReferenceEquals(key, NoneKey) ? null : key;

    internal static bool IsHashable(object key) => key is not (List<object?> or PyDict);

    /// <summary>Python hash equality for keys: numbers by value across int/float/bool, strings by content.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) => Operations.Equal(x, y);

        public int GetHashCode(object obj) => obj switch
        {
            string s => string.GetHashCode(s, StringComparison.Ordinal),
            SafeString s => string.GetHashCode(s.Value, StringComparison.Ordinal),
            bool b => b ? 1 : 0,
            long l => l.GetHashCode(),
            double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => ((long)d).GetHashCode(),
            double d => d.GetHashCode(),
            PyTuple t => t.Count,
            _ => obj.GetHashCode(),
        };
    }
}

/// <summary>
/// A Python generator, as returned by <c>map</c>, <c>select</c>, <c>items</c> and friends: it can be
/// iterated once, has no length, and is not JSON serializable — templates observe all three.
/// </summary>
internal sealed class PyIterator(string typeName, IEnumerable<object?> source)
{
    private IEnumerator<object?>? _remaining = source.GetEnumerator();

    public string TypeName { get; } = typeName;

    /// <summary>Yields what has not been consumed yet; a second pass yields nothing.</summary>
    public IEnumerable<object?> Drain()
    {
        var e = _remaining;
        _remaining = null;
        if (e is null)
        {
            yield break;
        }
        using (e)
        {
            while (e.MoveNext())
            {
                yield return e.Current;
            }
        }
    }
}

/// <summary>The object <c>namespace()</c> returns: the one thing templates may assign attributes on.</summary>
internal sealed class Namespace
{
    public PyDict Attributes { get; } = new();
}

/// <summary>Positional and keyword arguments of a call, as written in the template.</summary>
internal sealed class CallArguments(List<object?> positional, List<KeyValuePair<string, object?>> keywords)
{
    public List<object?> Positional { get; } = positional;

    public List<KeyValuePair<string, object?>> Keywords { get; } = keywords;

    /// <summary>
    /// Binds the arguments to a Python signature; unbound parameters get <see cref="Arg.Missing"/>.
    /// Errors are worded like Python's.
    /// </summary>
    public object?[] Bind(string function, params string[] parameters)
    {
        if (Positional.Count > parameters.Length)
        {
            throw new TemplateException(
                $"{function}() takes at most {parameters.Length} positional arguments but {Positional.Count} were given");
        }
        var bound = new object?[parameters.Length];
        Array.Fill(bound, Arg.Missing);
        for (var i = 0; i < Positional.Count; i++)
        {
            bound[i] = Positional[i];
        }
        foreach (var (name, value) in Keywords)
        {
            var index = Array.IndexOf(parameters, name);
            if (index < 0)
            {
                throw new TemplateException($"{function}() got an unexpected keyword argument '{name}'");
            }
            if (bound[index] != Arg.Missing)
            {
                throw new TemplateException($"{function}() got multiple values for argument '{name}'");
            }
            bound[index] = value;
        }
        return bound;
    }
}

/// <summary>Helpers for reading bound arguments.</summary>
internal static class Arg
{
    /// <summary>Marks a parameter the caller did not pass (distinct from None).</summary>
    public static readonly object Missing = new();

    public static object? Or(object? value, object? fallback) => value == Missing ? fallback : value;

    public static void Require(string function, string parameter, object? value)
    {
        if (value == Missing)
        {
            throw new TemplateException($"{function}() missing required argument '{parameter}'");
        }
    }
}

/// <summary>Anything a template can call: macros, globals, bound methods, <c>loop.cycle</c>.</summary>
internal interface ITemplateCallable
{
    object? Call(Evaluator evaluator, CallArguments arguments);
}

/// <summary>A built-in function or a method bound to its receiver.</summary>
internal sealed class BuiltinFunction(string name, Func<Evaluator, CallArguments, object?> body) : ITemplateCallable
{
    public string Name { get; } = name;

    public object? Call(Evaluator evaluator, CallArguments arguments) => body(evaluator, arguments);
}
