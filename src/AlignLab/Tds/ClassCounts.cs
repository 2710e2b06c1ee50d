using System.Text.Json.Nodes;

namespace AlignLab.Tds;

/// <summary>Positions per shift class, and their ratios.</summary>
public sealed class ClassCounts
{
    private readonly long[] _counts = new long[3];

    public long Positions { get; private set; }

    public long this[ShiftClass c] => _counts[(int)c];

    public void Add(ShiftClass c)
    {
        _counts[(int)c]++;
        Positions++;
    }

    public void Add(ClassCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Positions += other.Positions;
    }

    /// <summary>count / positions; 0 when there are no positions.</summary>
    public double Ratio(ShiftClass c) => Positions == 0 ? 0 : (double)_counts[(int)c] / Positions;

    /// <summary><c>{"unshifted": n, "marginal": n, "shifted": n}</c></summary>
    public JsonObject CountsJson() => PerClass(c => this[c]);

    public JsonObject RatiosJson() => PerClass(c => Ratio(c));

    /// <summary>An object with one entry per class, in the schema's order.</summary>
    public static JsonObject PerClass(Func<ShiftClass, JsonNode?> value)
    {
        var json = new JsonObject();
        foreach (var c in ShiftClasses.All)
        {
            json[ShiftClasses.Name(c)] = value(c);
        }
        return json;
    }
}
