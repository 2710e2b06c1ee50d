using System.Globalization;

namespace AlignLab.Runs;

/// <summary>
/// One of <see cref="Count"/> disjoint slices of a data set (<c>--shard I/N</c>, I from 1 to N): the records
/// whose 0-based index i has i mod N = I − 1. Dealing records round-robin keeps the slices alike (a file's
/// safety split at the end is spread over all shards) and depends on nothing but the index.
/// </summary>
public sealed record Shard
{
    public Shard(int number, int count)
    {
        if (count < 1 || number < 1 || number > count)
        {
            throw new ArgumentOutOfRangeException(nameof(number), string.Create(CultureInfo.InvariantCulture,
                $"shard {number}/{count}: expected I/N with 1 ≤ I ≤ N"));
        }
        Number = number;
        Count = count;
    }

    /// <summary>The whole data set.</summary>
    public static Shard All { get; } = new(1, 1);

    /// <summary>1-based.</summary>
    public int Number { get; }

    public int Count { get; }

    public bool Contains(int index) => index % Count == Number - 1;

    /// <summary>Parses "I/N"; a <see cref="FormatException"/> says what was expected.</summary>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || number < 1 || number > count)
        {
            throw new FormatException($"shard \"{text}\": expected I/N with 1 ≤ I ≤ N, e.g. 2/4");
        }
        return new Shard(number, count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Number}/{Count}");
}
