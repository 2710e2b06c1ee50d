namespace AlignLab.Engine.Templates;

/// <summary>
/// <c>a.b</c>, <c>a[b]</c> and <c>a[i:j:k]</c> with the rules of Jinja2's sandboxed environment:
/// attribute access tries the Python attribute (method) first and then the item; subscription tries
/// the item first and then the attribute; a miss gives Undefined; mutating methods are unsafe.
/// </summary>
internal static class Access
{
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.Fail();
            case LoopContext loop:
                return loop.GetAttribute(name);
            case Namespace ns:
                return ns.Attributes.TryGetValue(name, out var attribute) ? attribute : Undefined.Missing(target, name);
        }
        if (Methods.TryGet(target, name, out var method))
        {
            return method;
        }
        return target is PyDict dict && dict.TryGetValue(name, out var value) ? value : Undefined.Missing(target, name);
    }

    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.Fail();
            case PyDict dict when dict.TryGetValue(key, out var value):
                return value;
            case List<object?> or PyTuple when Operations.IsInteger(key):
                return ItemAt((IReadOnlyList<object?>)target, ToIndex(key), target, key);
            case string or SafeString when Operations.IsInteger(key):
                return CharacterAt(Operations.AsString(target)!, ToIndex(key), target, key);
        }
        // Python's obj[key] failed; Jinja2 then tries the attribute of that name.
        return key is string name ? GetAttribute(target, name) : Undefined.Missing(target, key);
    }

    private static int ToIndex(object? key)
    {
        var index = Operations.ToLong(key);
        return index is < int.MinValue or > int.MaxValue ? int.MaxValue : (int)index;
    }

    private static object? ItemAt(IReadOnlyList<object?> items, int index, object? target, object? key)
    {
        var i = index < 0 ? index + items.Count : index;
        return i >= 0 && i < items.Count ? items[i] : Undefined.Missing(target, key);
    }

    /// <summary>s[i] by code point; text without surrogates is indexed directly.</summary>
    private static object? CharacterAt(string text, int index, object? target, object? key)
    {
        var points = Strings.HasSurrogates(text) ? Strings.Split(text) : null;
        var count = points?.Length ?? text.Length;
        var i = index < 0 ? index + count : index;
        return i >= 0 && i < count ? points?[i] ?? text[i].ToString() : Undefined.Missing(target, key);
    }

    /// <summary>Python slicing, negative indices and steps included.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        if (target is Undefined undefined)
        {
            throw undefined.Fail();
        }
        var by = step is null ? 1 : SliceIndex(step);
        if (by == 0)
        {
            throw new TemplateException("slice step cannot be zero");
        }
        switch (target)
        {
            case List<object?> list:
                return Pick(list, start, stop, by);
            case PyTuple tuple:
                return new PyTuple(Pick(tuple, start, stop, by));
            case string or SafeString:
                var text = Operations.AsString(target)!;
                return Strings.HasSurrogates(text)
                    ? string.Concat(Pick(Strings.Split(text), start, stop, by))
                    : new string([.. Pick(text.ToCharArray(), start, stop, by)]);
            default:
                throw new TemplateException($"'{Operations.TypeName(target)}' object is not subscriptable");
        }
    }

    private static List<T> Pick<T>(IReadOnlyList<T> items, object? start, object? stop, long step)
    {
        var count = (long)items.Count;
        var (lower, upper) = step > 0 ? (0L, count) : (-1L, count - 1);
        var from = Bound(start, step > 0 ? lower : upper, lower, upper, count);
        var to = Bound(stop, step > 0 ? upper : lower, lower, upper, count);
        var result = new List<T>();
        for (var i = from; step > 0 ? i < to : i > to; i += step)
        {
            result.Add(items[(int)i]);
        }
        return result;
    }

    /// <summary>One end of a slice, clamped like Python's <c>slice.indices</c>.</summary>
    private static long Bound(object? index, long fallback, long lower, long upper, long count)
    {
        if (index is null)
        {
            return fallback;
        }
        var i = SliceIndex(index);
        if (i < 0)
        {
            i += count;
        }
        return Math.Clamp(i, lower, upper);
    }

    private static long SliceIndex(object? index) => Operations.IsInteger(index)
        ? Operations.ToLong(index)
        : throw new TemplateException("slice indices must be integers or None or have an __index__ method");
}
