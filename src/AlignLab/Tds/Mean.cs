namespace AlignLab.Tds;

/// <summary>A running mean of the values that are present (nulls are left out).</summary>
public sealed class Mean
{
    private double _sum;

    public long Count { get; private set; }

    public void Add(double? value)
    {
        if (value is double v)
        {
            _sum += v;
            Count++;
        }
    }

    /// <summary>The mean; null when no value was added.</summary>
    public double? Value => Count == 0 ? null : _sum / Count;
}
