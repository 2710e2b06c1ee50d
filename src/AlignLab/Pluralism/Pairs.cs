namespace AlignLab.Pluralism;

/// <summary>Statistics over pairs of samples.</summary>
public static class Pairs
{
    /// <summary>
    /// <paramref name="measure"/> of every unordered pair of DIFFERENT items (i &lt; j): a sample is never
    /// paired with itself, which would add a perfect match for free. Fewer than two items have no pairs.
    /// </summary>
    public static IReadOnlyList<double> Within<T>(IReadOnlyList<T> items, Func<T, T, double> measure)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(measure);
        var values = new List<double>();
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = i + 1; j < items.Count; j++)
            {
                values.Add(measure(items[i], items[j]));
            }
        }
        return values;
    }

    /// <summary><paramref name="measure"/> of every pair of an item of <paramref name="a"/> and one of <paramref name="b"/>.</summary>
    public static IReadOnlyList<double> Across<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, T, double> measure)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(measure);
        return [.. a.SelectMany(x => b.Select(y => measure(x, y)))];
    }
}
