using System.Globalization;

namespace AlignLab.Engine.Templates;

/// <summary>Python's semantics for the operators, truthiness, equality, ordering and iteration of template values.</summary>
internal static class Operations
{
    /// <summary>Python's <c>type(x).__name__</c>, used in error messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        SafeString => "Markup",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        Undefined => "Undefined",
        Namespace => "Namespace",
        PyIterator it => it.TypeName,
        LoopContext => "LoopContext",
        Macro => "Macro",
        _ => "function",
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        SafeString s => s.Value.Length > 0,
        List<object?> l => l.Count > 0,
        PyTuple t => t.Count > 0,
        PyDict d => d.Count > 0,
        Undefined => false,
        _ => true,
    };

    /// <summary>The text of a str or Markup, or null for any other value.</summary>
    public static string? AsString(object? value) => value switch
    {
        string s => s,
        SafeString s => s.Value,
        _ => null,
    };

    public static bool IsString(object? value) => value is string or SafeString;

    /// <summary>Python's numbers: bool counts as int.</summary>
    public static bool IsNumber(object? value) => value is long or double or bool;

    public static bool IsInteger(object? value) => value is long or bool;

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("not an integer"),
    };

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("not a number"),
    };

    public static bool Equal(object? a, object? b)
    {
        if (a is Undefined || b is Undefined)
        {
            return a is Undefined && b is Undefined;
        }
        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? ToLong(a) == ToLong(b) : ToDouble(a) == ToDouble(b);
        }
        if (AsString(a) is { } sa)
        {
            return AsString(b) is { } sb && string.Equals(sa, sb, StringComparison.Ordinal);
        }
        return (a, b) switch
        {
            (null, null) => true,
            (List<object?> x, List<object?> y) => SequenceEqual(x, y),
            (PyTuple x, PyTuple y) => SequenceEqual(x, y),
            (PyDict x, PyDict y) => DictEqual(x, y),
            _ => ReferenceEquals(a, b),
        };
    }

    private static bool SequenceEqual(IReadOnlyList<object?> x, IReadOnlyList<object?> y)
    {
        if (x.Count != y.Count)
        {
            return false;
        }
        for (var i = 0; i < x.Count; i++)
        {
            if (!Equal(x[i], y[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool DictEqual(PyDict x, PyDict y)
        => x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && Equal(kv.Value, v));

    /// <summary>Python ordering (<c>&lt;</c> and friends): numbers, strings by code point, sequences lexicographically.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        FailIfUndefined(a, b);
        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? ToLong(a).CompareTo(ToLong(b)) : ToDouble(a).CompareTo(ToDouble(b));
        }
        if (AsString(a) is { } sa && AsString(b) is { } sb)
        {
            return Strings.CompareCodePoints(sa, sb);
        }
        if ((a, b) is (List<object?>, List<object?>) or (PyTuple, PyTuple))
        {
            var x = (IReadOnlyList<object?>)a!;
            var y = (IReadOnlyList<object?>)b!;
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!Equal(x[i], y[i]))
                {
                    return Compare(x[i], y[i], op);
                }
            }
            return x.Count.CompareTo(y.Count);
        }
        throw new TemplateException($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    /// <summary>
    /// Python's <c>sorted(items, key=key, reverse=reverse)</c>: stable (reverse keeps equal items in
    /// order), and like CPython it asks whether a later item is less than an earlier one, so a
    /// mixed-type list fails with the same message.
    /// </summary>
    public static List<T> Sort<T>(IEnumerable<T> items, Func<T, object?> key, bool reverse)
    {
        var keyed = items.Select(item => (Key: key(item), Item: item)).ToList();
        if (reverse)
        {
            keyed.Reverse();
        }
        var sorted = MergeSort(keyed);
        if (reverse)
        {
            sorted.Reverse();
        }
        return [.. sorted.Select(pair => pair.Item)];
    }

    private static List<(object? Key, T Item)> MergeSort<T>(List<(object? Key, T Item)> items)
    {
        if (items.Count < 2)
        {
            return items;
        }
        var middle = items.Count / 2;
        var left = MergeSort(items[..middle]);
        var right = MergeSort(items[middle..]);
        var merged = new List<(object? Key, T Item)>(items.Count);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            merged.Add(Compare(right[j].Key, left[i].Key) < 0 ? right[j++] : left[i++]);
        }
        merged.AddRange(left.Skip(i));
        merged.AddRange(right.Skip(j));
        return merged;
    }

    public static object? Add(object? a, object? b, long maxLength)
    {
        FailIfUndefined(a, b);
        if (a is SafeString || b is SafeString)
        {
            return AddMarkup(a, b);
        }
        if (IsNumber(a) && IsNumber(b))
        {
            return Arithmetic(a, b, (x, y) => checked(x + y), (x, y) => x + y);
        }
        switch (a, b)
        {
            case (string x, string y):
                CheckLength(x.Length + (long)y.Length, maxLength);
                return x + y;
            case (List<object?> x, List<object?> y):
                CheckLength(x.Count + (long)y.Count, maxLength);
                return (List<object?>)[.. x, .. y];
            case (PyTuple x, PyTuple y):
                CheckLength(x.Count + (long)y.Count, maxLength);
                return new PyTuple([.. x, .. y]);
            case (string or List<object?> or PyTuple, _):
                throw new TemplateException($"can only concatenate {TypeName(a)} (not \"{TypeName(b)}\") to {TypeName(a)}");
            default:
                throw Unsupported("+", a, b);
        }
    }

    /// <summary>Markup + str escapes the plain operand (markupsafe's <c>__add__</c>/<c>__radd__</c>).</summary>
    private static SafeString AddMarkup(object? a, object? b)
    {
        if (!IsString(a) || !IsString(b))
        {
            throw Unsupported("+", a, b);
        }
        return new SafeString(EscapeUnlessSafe(a) + EscapeUnlessSafe(b));
    }

    private static string EscapeUnlessSafe(object? value) => value is SafeString s ? s.Value : Strings.HtmlEscape((string)value!);

    public static object? Subtract(object? a, object? b)
    {
        FailIfUndefined(a, b);
        return IsNumber(a) && IsNumber(b)
            ? Arithmetic(a, b, (x, y) => checked(x - y), (x, y) => x - y)
            : throw Unsupported("-", a, b);
    }

    public static object? Multiply(object? a, object? b, long maxLength)
    {
        FailIfUndefined(a, b);
        if (IsNumber(a) && IsNumber(b))
        {
            return Arithmetic(a, b, (x, y) => checked(x * y), (x, y) => x * y);
        }
        var (sequence, count) = IsInteger(b) ? (a, b) : (b, a);
        if (!IsInteger(count))
        {
            throw Unsupported("*", a, b);
        }
        var n = Math.Max(0, ToLong(count));
        switch (sequence)
        {
            case string s:
                CheckLength(s.Length * n, maxLength);
                return string.Concat(Enumerable.Repeat(s, (int)n));
            case List<object?> l:
                CheckLength(l.Count * n, maxLength);
                return Enumerable.Repeat(l, (int)n).SelectMany(x => x).ToList();
            default:
                throw new TemplateException($"can't multiply sequence by non-int of type '{TypeName(count)}'");
        }
    }

    public static object? Divide(object? a, object? b)
    {
        FailIfUndefined(a, b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("/", a, b);
        }
        var divisor = ToDouble(b);
        return divisor == 0 ? throw new TemplateException("division by zero") : ToDouble(a) / divisor;
    }

    public static object? FloorDivide(object? a, object? b)
    {
        FailIfUndefined(a, b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("//", a, b);
        }
        if (IsInteger(a) && IsInteger(b))
        {
            var y = ToLong(b);
            return y == 0 ? throw new TemplateException("integer division or modulo by zero") : FloorDiv(ToLong(a), y);
        }
        var d = ToDouble(b);
        return d == 0 ? throw new TemplateException("float floor division by zero") : Math.Floor(ToDouble(a) / d);
    }

    public static object? Modulo(object? a, object? b)
    {
        FailIfUndefined(a, b);
        if (IsString(a))
        {
            throw new TemplateException("printf-style string formatting ('%' on a string) is not supported");
        }
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("%", a, b);
        }
        if (IsInteger(a) && IsInteger(b))
        {
            var x = ToLong(a);
            var y = ToLong(b);
            return y == 0 ? throw new TemplateException("integer modulo by zero") : x - (FloorDiv(x, y) * y);
        }
        var dx = ToDouble(a);
        var dy = ToDouble(b);
        if (dy == 0)
        {
            throw new TemplateException("float modulo");
        }
        var r = dx % dy;
        return r != 0 && (r < 0) != (dy < 0) ? r + dy : r;
    }

    public static object? Power(object? a, object? b)
    {
        FailIfUndefined(a, b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("** or pow()", a, b);
        }
        if (IsInteger(a) && IsInteger(b) && ToLong(b) >= 0)
        {
            return OverflowChecked(() => IntPower(ToLong(a), ToLong(b)));
        }
        return Math.Pow(ToDouble(a), ToDouble(b));
    }

    // The (object) casts matter: a switch over double and long arms would otherwise convert both to double.
    public static object? Negate(object? value) => value switch
    {
        Undefined u => throw u.Fail(),
        double d => (object)-d,
        long or bool => OverflowChecked(() => checked(-ToLong(value))),
        _ => throw new TemplateException($"bad operand type for unary -: '{TypeName(value)}'"),
    };

    public static object? Plus(object? value) => value switch
    {
        Undefined u => throw u.Fail(),
        double or long => value,
        bool b => (object)(b ? 1L : 0L),
        _ => throw new TemplateException($"bad operand type for unary +: '{TypeName(value)}'"),
    };

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string or SafeString:
                return AsString(item) is { } needle
                    ? AsString(container)!.Contains(needle, StringComparison.Ordinal)
                    : throw new TemplateException($"'in <string>' requires string as left operand, not {TypeName(item)}");
            case PyDict d:
                return item is not null && !PyDict.IsHashable(item) ? throw Unhashable(item) : d.ContainsKey(item);
            case Namespace ns:
                return ns.Attributes.ContainsKey(item);
            default:
                return Iterate(container, "argument of type '{0}' is not iterable").Any(x => Equal(x, item));
        }
    }

    /// <summary>Python's <c>iter()</c>: str by code point, dict by key, Undefined as empty.</summary>
    public static IEnumerable<object?> Iterate(object? value, string error = "'{0}' object is not iterable") => value switch
    {
        List<object?> l => l,
        PyTuple t => t,
        PyDict d => d.Keys,
        string s => Strings.CodePoints(s),
        SafeString s => Strings.CodePoints(s.Value),
        PyIterator it => it.Drain(),
        Undefined => [],
        _ => throw new TemplateException(string.Format(CultureInfo.InvariantCulture, error, TypeName(value))),
    };

    /// <summary>Python's <c>len()</c>; Undefined has length 0.</summary>
    public static long Length(object? value) => value switch
    {
        string s => Strings.Length(s),
        SafeString s => Strings.Length(s.Value),
        List<object?> l => l.Count,
        PyTuple t => t.Count,
        PyDict d => d.Count,
        Undefined => 0,
        _ => throw new TemplateException($"object of type '{TypeName(value)}' has no len()"),
    };

    public static TemplateException Unhashable(object? value) => new($"unhashable type: '{TypeName(value)}'");

    /// <summary>Throws the limit error when a string or list would grow past the output bound.</summary>
    public static void CheckLength(long length, long maxLength)
    {
        if (length > maxLength)
        {
            throw new TemplateLimitException($"a string or list would exceed the output limit of {maxLength}");
        }
    }

    private static void FailIfUndefined(object? a, object? b)
    {
        if (a is Undefined ua)
        {
            throw ua.Fail();
        }
        if (b is Undefined ub)
        {
            throw ub.Fail();
        }
    }

    private static object Arithmetic(object? a, object? b, Func<long, long, long> ints, Func<double, double, double> floats)
        => IsInteger(a) && IsInteger(b)
            ? OverflowChecked(() => ints(ToLong(a), ToLong(b)))
            : (object)floats(ToDouble(a), ToDouble(b));

    /// <summary>Python ints are unbounded; ours are 64-bit, so overflow is an error rather than a wrong number.</summary>
    private static long OverflowChecked(Func<long> compute)
    {
        try
        {
            return compute();
        }
        catch (OverflowException e)
        {
            throw new TemplateException("integer overflow (template integers are 64-bit)", e);
        }
    }

    /// <summary>Exponentiation by squaring, so a huge exponent costs 64 steps, not a loop per unit.</summary>
    private static long IntPower(long x, long exponent)
    {
        var result = 1L;
        while (exponent > 0)
        {
            if ((exponent & 1) != 0)
            {
                result = checked(result * x);
            }
            exponent >>= 1;
            if (exponent > 0)
            {
                x = checked(x * x);
            }
        }
        return result;
    }

    private static long FloorDiv(long x, long y)
    {
        var q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    private static TemplateException Unsupported(string op, object? a, object? b)
        => new($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");
}
