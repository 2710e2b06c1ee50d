using System.Globalization;
using System.Numerics;

namespace AlignLab.Engine.Templates;

internal delegate object? FilterFunction(Evaluator evaluator, object? value, CallArguments arguments);

/// <summary>
/// The filters chat templates use, with Jinja2 3.1's semantics (autoescape off) and Hugging Face's
/// <c>tojson</c>. Filters that Jinja2 implements as generators return a one-shot <see cref="PyIterator"/>.
/// </summary>
internal static class Filters
{
    private static readonly Dictionary<string, FilterFunction> Registry = new(StringComparer.Ordinal)
    {
        ["abs"] = Abs,
        ["capitalize"] = (_, v, a) => NoArguments("capitalize", a, Strings.Capitalize(Formatting.Str(v))),
        ["count"] = Length,
        ["d"] = Default,
        ["default"] = Default,
        ["dictsort"] = DictSort,
        ["first"] = First,
        ["float"] = Float,
        ["indent"] = Indent,
        ["int"] = Int,
        ["items"] = Items,
        ["join"] = Join,
        ["last"] = Last,
        ["length"] = Length,
        ["list"] = (e, v, a) => NoArguments("list", a, e.Iterate(v).ToList()),
        ["lower"] = (_, v, a) => NoArguments("lower", a, Strings.Lower(Formatting.Str(v))),
        ["map"] = Map,
        ["max"] = (e, v, a) => MinOrMax(e, v, a, "max", wantMax: true),
        ["min"] = (e, v, a) => MinOrMax(e, v, a, "min", wantMax: false),
        ["reject"] = (e, v, a) => SelectOrReject(e, v, a, byAttribute: false, keep: false),
        ["rejectattr"] = (e, v, a) => SelectOrReject(e, v, a, byAttribute: true, keep: false),
        ["replace"] = Replace,
        ["reverse"] = Reverse,
        ["round"] = Round,
        ["safe"] = (_, v, a) => NoArguments("safe", a, new SafeString(Formatting.Str(v))),
        ["select"] = (e, v, a) => SelectOrReject(e, v, a, byAttribute: false, keep: true),
        ["selectattr"] = (e, v, a) => SelectOrReject(e, v, a, byAttribute: true, keep: true),
        ["sort"] = Sort,
        ["string"] = (_, v, a) => NoArguments("string", a, v is SafeString ? v : Formatting.Str(v)),
        ["sum"] = Sum,
        ["title"] = (_, v, a) => NoArguments("title", a, Strings.Title(Formatting.Str(v))),
        ["tojson"] = ToJson,
        ["trim"] = Trim,
        ["unique"] = Unique,
        ["upper"] = (_, v, a) => NoArguments("upper", a, Strings.Upper(Formatting.Str(v))),
    };

    public static FilterFunction? Find(string name) => Registry.GetValueOrDefault(name);

    /// <summary>Calls a filter by name at run time (<c>map('upper')</c>); Jinja2's message when it does not exist.</summary>
    public static object? Call(Evaluator evaluator, string name, object? value, CallArguments arguments)
        => (Find(name) ?? throw new TemplateException($"No filter named '{name}'."))(evaluator, value, arguments);

    private static object? NoArguments(string name, CallArguments arguments, object? result)
    {
        arguments.Bind(name);
        return result;
    }

    private static object? Abs(Evaluator evaluator, object? value, CallArguments arguments)
    {
        arguments.Bind("abs");
        return value switch
        {
            long l => l == long.MinValue ? throw new TemplateException("integer overflow (template integers are 64-bit)") : (object)Math.Abs(l),
            double d => Math.Abs(d),
            bool b => b ? 1L : 0L,
            Undefined u => throw u.Fail(),
            _ => throw new TemplateException($"bad operand type for abs(): '{Operations.TypeName(value)}'"),
        };
    }

    private static object? Length(Evaluator evaluator, object? value, CallArguments arguments)
    {
        arguments.Bind("length");
        return Operations.Length(value);
    }

    private static object? Default(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("default", "default_value", "boolean");
        var useDefault = value is Undefined || (Operations.Truthy(Arg.Or(bound[1], false)) && !Operations.Truthy(value));
        return useDefault ? Arg.Or(bound[0], "") : value;
    }

    private static object? DictSort(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("dictsort", "case_sensitive", "by", "reverse");
        var position = Arg.Or(bound[1], "key") switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw new TemplateException("You can only sort by either \"key\" or \"value\""),
        };
        var dict = value switch
        {
            PyDict d => d,
            Undefined u => throw u.Fail(),
            _ => throw new TemplateException($"'{Operations.TypeName(value)}' object has no attribute 'items'"),
        };
        var caseSensitive = Operations.Truthy(Arg.Or(bound[0], false));
        var pairs = dict.Select(kv => (object?)PyTuple.Pair(kv.Key, kv.Value));
        return SortBy(evaluator, pairs, p => SortKey(((PyTuple)p!)[position], caseSensitive), Operations.Truthy(Arg.Or(bound[2], false)));
    }

    private static object? First(Evaluator evaluator, object? value, CallArguments arguments)
    {
        arguments.Bind("first");
        foreach (var item in evaluator.Iterate(value))
        {
            return item;
        }
        return new Undefined("No first item, sequence was empty.");
    }

    private static object? Last(Evaluator evaluator, object? value, CallArguments arguments)
    {
        arguments.Bind("last");
        if (value is PyIterator iterator)
        {
            throw new TemplateException($"'{iterator.TypeName}' object is not reversible");
        }
        var items = evaluator.Iterate(value).ToList();
        return items.Count > 0 ? items[^1] : new Undefined("No last item, sequence was empty.");
    }

    /// <summary>Jinja2's int filter: "42" → 42, "4.7" → 4, anything unparsable → the default.</summary>
    private static object? Int(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("int", "default", "base");
        var fallback = Arg.Or(bound[0], 0L);
        var numberBase = Arg.Or(bound[1], 10L);
        switch (value)
        {
            case Undefined u:
                throw u.Fail();
            case long or bool:
                return Operations.ToLong(value);
            case double d:
                return double.IsFinite(d) && Math.Abs(d) < 9.2e18 ? (long)Math.Truncate(d) : fallback;
        }
        if (Operations.AsString(value) is not { } text)
        {
            return fallback;
        }
        if (TryParseInt(text, Operations.IsInteger(numberBase) ? Operations.ToLong(numberBase) : 10, out var parsed))
        {
            return parsed;
        }
        return TryParseFloat(text, out var number) && double.IsFinite(number) && Math.Abs(number) < 9.2e18
            ? (long)Math.Truncate(number)
            : fallback;
    }

    /// <summary>Python's int(str, base) for bases 2, 8, 10 and 16: surrounding whitespace, a sign and '_' between digits allowed.</summary>
    private static bool TryParseInt(string text, long numberBase, out long result)
    {
        result = 0;
        var s = Strings.Strip(text, null).Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }
        if (s.Length == 0 || numberBase is not (2 or 8 or 10 or 16))
        {
            return false;
        }
        try
        {
            result = numberBase == 10
                ? long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)
                : Convert.ToInt64(s, (int)numberBase);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
        result = negative ? -result : result;
        return true;
    }

    /// <summary>Python's float(str): whitespace allowed around, "inf" and "nan" spelled any case.</summary>
    private static bool TryParseFloat(string text, out double result)
    {
        var s = Strings.Strip(text, null).Replace("_", "", StringComparison.Ordinal);
        var unsigned = s.TrimStart('+', '-').ToLowerInvariant();
        var sign = s.StartsWith('-') ? -1 : 1;
        (var special, result) = unsigned switch
        {
            "inf" or "infinity" => (true, sign * double.PositiveInfinity),
            "nan" => (true, double.NaN),
            _ => (false, 0),
        };
        return special || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
    }

    private static object? Float(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("float", "default");
        var fallback = Arg.Or(bound[0], 0.0);
        return value switch
        {
            Undefined u => throw u.Fail(),
            long or bool or double => Operations.ToDouble(value),
            _ when Operations.AsString(value) is { } text && TryParseFloat(text, out var number) => number,
            _ => fallback,
        };
    }

    private static object? Indent(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("indent", "width", "first", "blank");
        var width = Arg.Or(bound[0], 4L);
        var indentation = Operations.AsString(width) ?? new string(' ', (int)Math.Clamp(Operations.IsInteger(width)
            ? Operations.ToLong(width)
            : throw new TemplateException($"can't multiply sequence by non-int of type '{Operations.TypeName(width)}'"), 0, evaluator.MaxLength));
        var lines = Strings.SplitLines(Formatting.Str(value) + "\n");
        string result;
        if (Operations.Truthy(Arg.Or(bound[2], false)))
        {
            result = string.Join("\n" + indentation, lines);
        }
        else
        {
            // Jinja2 indents every line after the first unless it is empty.
            result = lines[0] + string.Concat(lines.Skip(1).Select(line => "\n" + (line.Length > 0 ? indentation + line : line)));
        }
        return Operations.Truthy(Arg.Or(bound[1], false)) ? indentation + result : result;
    }

    private static object? Items(Evaluator evaluator, object? value, CallArguments arguments)
    {
        arguments.Bind("items");
        return value switch
        {
            Undefined => new PyIterator("generator", []),
            PyDict dict => new PyIterator("generator", dict.Select(kv => (object?)PyTuple.Pair(kv.Key, kv.Value))),
            _ => throw new TemplateException("Can only get item pairs from a mapping."),
        };
    }

    private static object? Join(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("join", "d", "attribute");
        var separator = Formatting.Str(Arg.Or(bound[0], ""));
        var items = evaluator.Iterate(value);
        if (Arg.Or(bound[1], null) is { } attribute)
        {
            var getter = AttributeGetter(attribute, null);
            items = items.Select(getter);
        }
        return string.Join(separator, items.Select(item => Formatting.Str(item, evaluator.MaxLength)));
    }

    /// <summary><c>map('filter', args...)</c> or <c>map(attribute='a.b', default=x)</c>; lazy, like Jinja2's generator.</summary>
    private static object? Map(Evaluator evaluator, object? value, CallArguments arguments)
    {
        Func<object?, object?> transform;
        if (arguments.Positional.Count == 0 && arguments.Keywords.Any(k => k.Key == "attribute"))
        {
            var bound = arguments.Bind("map", "attribute", "default");
            transform = AttributeGetter(bound[0], Arg.Or(bound[1], null));
        }
        else
        {
            if (arguments.Positional.Count == 0)
            {
                throw new TemplateException("map requires a filter argument");
            }
            var name = Formatting.Str(arguments.Positional[0]);
            var rest = new CallArguments([.. arguments.Positional.Skip(1)], arguments.Keywords);
            transform = item => Filters.Call(evaluator, name, item, rest);
        }
        return new PyIterator("generator", Operations.Truthy(value) ? evaluator.Iterate(value).Select(transform) : []);
    }

    /// <summary>select/reject (by a test on the item) and selectattr/rejectattr (on an attribute of it); lazy.</summary>
    private static object? SelectOrReject(Evaluator evaluator, object? value, CallArguments arguments, bool byAttribute, bool keep)
    {
        var positional = arguments.Positional;
        var transform = (Func<object?, object?>)(x => x);
        var offset = 0;
        if (byAttribute)
        {
            transform = positional.Count > 0
                ? AttributeGetter(positional[0], null)
                : throw new TemplateException("Missing parameter for attribute name");
            offset = 1;
        }
        Func<object?, bool> test = Operations.Truthy;
        if (positional.Count > offset)
        {
            var testName = Formatting.Str(positional[offset]);
            var function = Tests.Find(testName) ?? throw new TemplateException($"No test named '{testName}'.");
            var rest = new CallArguments([.. positional.Skip(offset + 1)], arguments.Keywords);
            test = item => function(evaluator, item, rest);
        }
        return new PyIterator("generator", Operations.Truthy(value)
            ? evaluator.Iterate(value).Where(item => test(transform(item)) == keep)
            : []);
    }

    private static object? MinOrMax(Evaluator evaluator, object? value, CallArguments arguments, string name, bool wantMax)
    {
        var bound = arguments.Bind(name, "case_sensitive", "attribute");
        var caseSensitive = Operations.Truthy(Arg.Or(bound[0], false));
        var getter = AttributeGetter(Arg.Or(bound[1], null), null);
        object? best = null;
        object? bestKey = null;
        var any = false;
        foreach (var item in evaluator.Iterate(value))
        {
            var key = SortKey(getter(item), caseSensitive);
            // Python's min/max keep the first of equal items.
            if (!any || (wantMax ? Operations.Compare(key, bestKey, ">") > 0 : Operations.Compare(key, bestKey) < 0))
            {
                (best, bestKey, any) = (item, key, true);
            }
        }
        return any ? best : new Undefined("No aggregated item, sequence was empty.");
    }

    private static object? Replace(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("replace", "old", "new", "count");
        Arg.Require("replace", "old", bound[0]);
        Arg.Require("replace", "new", bound[1]);
        var count = Arg.Or(bound[2], null);
        return Strings.Replace(Formatting.Str(value), Formatting.Str(bound[0]), Formatting.Str(bound[1]),
            count is null ? -1 : Operations.IsInteger(count) ? Operations.ToLong(count) : -1, evaluator.MaxLength);
    }

    private static object? Reverse(Evaluator evaluator, object? value, CallArguments arguments)
    {
        arguments.Bind("reverse");
        return value switch
        {
            string or SafeString => string.Concat(Strings.Split(Operations.AsString(value)!).Reverse()),
            List<object?> or PyTuple => new PyIterator("list_reverseiterator", ((IEnumerable<object?>)value).Reverse()),
            _ => evaluator.Iterate(value).Reverse().ToList(),
        };
    }

    private static object? Round(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("round", "precision", "method");
        var precision = Arg.Or(bound[0], 0L);
        var method = Arg.Or(bound[1], "common");
        if (method is not ("common" or "ceil" or "floor"))
        {
            throw new TemplateException("method must be common, ceil or floor");
        }
        if (!Operations.IsNumber(value) || !Operations.IsInteger(precision))
        {
            throw new TemplateException($"type {Operations.TypeName(value)} doesn't define __round__ method");
        }
        var digits = (int)Math.Clamp(Operations.ToLong(precision), -15, 15);
        if (method is "common")
        {
            // Python's round(x, n): half to even; an int stays an int (and only negative n changes it).
            var step = Math.Pow(10, -Math.Min(digits, 0));
            return value is double d
                ? (digits >= 0 ? RoundExact(d, digits) : Math.Round(d / step, MidpointRounding.ToEven) * step)
                : (object)(long)(Math.Round(Operations.ToLong(value) / step, MidpointRounding.ToEven) * step);
        }
        var scale = Math.Pow(10, digits);
        var scaled = Operations.ToDouble(value) * scale;
        return (method is "ceil" ? Math.Ceiling(scaled) : Math.Floor(scaled)) / scale;
    }

    /// <summary>
    /// Python rounds the exact binary value half to even, so round(2.675, 2) is 2.67 (2.675 is stored
    /// as 2.67499999...); Math.Round scales first and gets 2.68. Exact integer arithmetic avoids that.
    /// </summary>
    private static double RoundExact(double d, int digits)
    {
        if (!double.IsFinite(d) || d == 0)
        {
            return d;
        }
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(d));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = new BigInteger(bits & 0xFFFFFFFFFFFFFL);
        mantissa = exponent == 0 ? mantissa : mantissa + (1L << 52);
        var power = (exponent == 0 ? 1 : exponent) - 1075;
        if (power >= 0)
        {
            return d;
        }
        var denominator = BigInteger.One << -power;
        var quotient = BigInteger.DivRem(mantissa * BigInteger.Pow(10, digits), denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient++;
        }
        var rounded = double.Parse($"{quotient}E-{digits}", NumberStyles.Float, CultureInfo.InvariantCulture);
        return d < 0 ? -rounded : rounded;
    }

    private static object? Sort(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("sort", "reverse", "case_sensitive", "attribute");
        var caseSensitive = Operations.Truthy(Arg.Or(bound[1], false));
        var getters = Arg.Or(bound[2], null) is { } attribute && Operations.AsString(attribute) is { } names
            ? names.Split(',').Select(n => AttributeGetter(n, null)).ToList()
            : [AttributeGetter(Arg.Or(bound[2], null), null)];
        return SortBy(evaluator, evaluator.Iterate(value),
            item => new List<object?>(getters.Select(g => SortKey(g(item), caseSensitive))),
            Operations.Truthy(Arg.Or(bound[0], false)));
    }

    private static List<object?> SortBy(Evaluator evaluator, IEnumerable<object?> items, Func<object?, object?> key, bool reverse)
    {
        var list = items.ToList();
        // Sorting costs n log n comparisons; counting n more keeps the budget honest without precision.
        evaluator.CountIterations(list.Count);
        return Operations.Sort(list, key, reverse);
    }

    private static object? Sum(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("sum", "attribute", "start");
        var getter = AttributeGetter(Arg.Or(bound[0], null), null);
        var total = Arg.Or(bound[1], 0L);
        foreach (var item in evaluator.Iterate(value))
        {
            total = Operations.Add(total, getter(item), evaluator.MaxLength);
        }
        return total;
    }

    /// <summary>Hugging Face's tojson: <c>json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)</c>.</summary>
    private static object? ToJson(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        var indent = Arg.Or(bound[1], null) switch
        {
            null => null,
            string s => s,
            long or bool => new string(' ', (int)Math.Clamp(Operations.ToLong(bound[1]), 0, 1000)),
            var other => throw new TemplateException($"can't multiply sequence by non-int of type '{Operations.TypeName(other)}'"),
        };
        string? itemSeparator = null;
        string? keySeparator = null;
        if (Arg.Or(bound[2], null) is { } separators)
        {
            var pair = evaluator.Iterate(separators).ToList();
            if (pair.Count != 2)
            {
                throw new TemplateException($"not enough values to unpack (expected 2, got {pair.Count})");
            }
            (itemSeparator, keySeparator) = (Formatting.Str(pair[0]), Formatting.Str(pair[1]));
        }
        return PyJson.Dumps(value, Operations.Truthy(Arg.Or(bound[0], false)), indent, itemSeparator, keySeparator,
            Operations.Truthy(Arg.Or(bound[3], false)), evaluator.MaxLength);
    }

    private static object? Trim(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("trim", "chars");
        var chars = Arg.Or(bound[0], null);
        return Strings.Strip(Formatting.Str(value), chars is null ? null : Formatting.Str(chars));
    }

    private static object? Unique(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("unique", "case_sensitive", "attribute");
        var caseSensitive = Operations.Truthy(Arg.Or(bound[0], false));
        var getter = AttributeGetter(Arg.Or(bound[1], null), null);
        return new PyIterator("generator", UniqueItems(evaluator.Iterate(value), item => SortKey(getter(item), caseSensitive)));
    }

    private static IEnumerable<object?> UniqueItems(IEnumerable<object?> items, Func<object?, object?> key)
    {
        var seen = new PyDict();
        foreach (var item in items)
        {
            var k = key(item);
            if (!seen.ContainsKey(k))
            {
                seen[k] = null;
                yield return item;
            }
        }
    }

    /// <summary>Jinja2's ignore_case: strings compare lower-cased unless case_sensitive.</summary>
    private static object? SortKey(object? value, bool caseSensitive)
        => !caseSensitive && Operations.AsString(value) is { } s ? Strings.Lower(s) : value;

    /// <summary>
    /// Jinja2's make_attrgetter: "a.b.0" looks up each part with subscription semantics (digits as
    /// indexes); a missing value becomes <paramref name="fallback"/> when one is given.
    /// </summary>
    private static Func<object?, object?> AttributeGetter(object? attribute, object? fallback)
    {
        if (attribute is null)
        {
            return item => item;
        }
        object?[] parts = Operations.AsString(attribute) is { } path
            ? [.. path.Split('.').Select(p => p.Length > 0 && p.All(char.IsAsciiDigit) ? long.Parse(p, CultureInfo.InvariantCulture) : (object?)p)]
            : [attribute];
        return item =>
        {
            foreach (var part in parts)
            {
                item = Access.GetItem(item, part);
                if (fallback is not null && item is Undefined)
                {
                    item = fallback;
                }
            }
            return item;
        };
    }
}
