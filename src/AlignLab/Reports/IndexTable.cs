namespace AlignLab.Reports;

/// <summary>Distinct values in order of first use, so the page stores each one once and refers to it by index.</summary>
internal sealed class IndexTable<T>(int capacity = int.MaxValue) where T : notnull
{
    private readonly Dictionary<T, int> _index = [];
    private readonly List<T> _items = [];

    public IReadOnlyList<T> Items => _items;

    /// <summary>The value's index, adding it when new; -1 when the table is full.</summary>
    public int Add(T value)
    {
        if (_index.TryGetValue(value, out var index))
        {
            return index;
        }
        if (_items.Count == capacity)
        {
            return -1;
        }
        _index.Add(value, _items.Count);
        _items.Add(value);
        return _items.Count - 1;
    }
}
