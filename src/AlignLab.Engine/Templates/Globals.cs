namespace AlignLab.Engine.Templates;

/// <summary>
/// Names every template sees unless a variable shadows them: Jinja2's <c>range</c>, <c>dict</c> and
/// <c>namespace</c>, and Hugging Face's <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class Globals
{
    /// <summary>Jinja2's sandbox refuses larger ranges (MAX_RANGE).</summary>
    private const int MaxRange = 100_000;

    private static readonly Dictionary<string, object?> Values = new(StringComparer.Ordinal)
    {
        ["range"] = new BuiltinFunction("range", (_, a) => Range(a)),
        ["dict"] = new BuiltinFunction("dict", (_, a) => Dict(a)),
        ["namespace"] = new BuiltinFunction("namespace", (_, a) => MakeNamespace(a)),
        ["raise_exception"] = new BuiltinFunction("raise_exception", (_, a) => Raise(a)),
        ["strftime_now"] = new BuiltinFunction("strftime_now", (e, a) => StrftimeNow(e, a)),
    };

    public static bool TryGet(string name, out object? value) => Values.TryGetValue(name, out value);

    private static List<object?> Range(CallArguments arguments)
    {
        if (arguments.Keywords.Count > 0)
        {
            throw new TemplateException("range() takes no keyword arguments");
        }
        var numbers = arguments.Positional.Select(v => Operations.IsInteger(v)
            ? Operations.ToLong(v)
            : throw new TemplateException($"'{Operations.TypeName(v)}' object cannot be interpreted as an integer")).ToList();
        var (start, stop, step) = numbers.Count switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            3 => (numbers[0], numbers[1], numbers[2]),
            _ => throw new TemplateException($"range expected at most 3 arguments, got {numbers.Count}"),
        };
        if (step == 0)
        {
            throw new TemplateException("range() arg 3 must not be zero");
        }
        // Int128: the span of two 64-bit bounds can overflow a long.
        var count = step > 0 ? ((Int128)stop - start + step - 1) / step : ((Int128)start - stop - step - 1) / -step;
        if (count > MaxRange)
        {
            throw new TemplateLimitException($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        }
        var result = new List<object?>();
        for (var i = 0L; i < (long)count; i++)
        {
            result.Add(start + (i * step));
        }
        return result;
    }

    /// <summary>dict(mapping, **kwargs), like Python's constructor for the forms templates use.</summary>
    private static PyDict Dict(CallArguments arguments)
    {
        if (arguments.Positional.Count > 1)
        {
            throw new TemplateException($"dict expected at most 1 argument, got {arguments.Positional.Count}");
        }
        var result = new PyDict();
        if (arguments.Positional.Count == 1)
        {
            if (arguments.Positional[0] is not PyDict source)
            {
                throw new TemplateException($"'{Operations.TypeName(arguments.Positional[0])}' object is not a mapping");
            }
            foreach (var (key, value) in source)
            {
                result[key] = value;
            }
        }
        foreach (var (key, value) in arguments.Keywords)
        {
            result[key] = value;
        }
        return result;
    }

    private static Namespace MakeNamespace(CallArguments arguments)
    {
        var ns = new Namespace();
        foreach (var (key, value) in Dict(arguments))
        {
            ns.Attributes[key] = value;
        }
        return ns;
    }

    /// <summary>The template's own error: the message is exactly the argument, as in transformers.</summary>
    private static object? Raise(CallArguments arguments)
    {
        var bound = arguments.Bind("raise_exception", "message");
        Arg.Require("raise_exception", "message", bound[0]);
        throw new TemplateException(Formatting.Str(bound[0])) { RaisedByTemplate = true };
    }

    private static string StrftimeNow(Evaluator evaluator, CallArguments arguments)
    {
        var bound = arguments.Bind("strftime_now", "format");
        Arg.Require("strftime_now", "format", bound[0]);
        return Strftime.Format(evaluator.Now, Operations.AsString(bound[0])
            ?? throw new TemplateException($"strftime() argument 1 must be str, not {Operations.TypeName(bound[0])}"));
    }
}
