using AlignLab.Engine.Generation;

namespace AlignLab.Organism;

/// <summary>The world's only source of chance: the engine's integer-only generator, so a seed gives the same world everywhere.</summary>
internal sealed class WorldRandom(ulong seed)
{
    private readonly SamplingRandom _random = new(seed);

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => (int)(_random.NextUInt64() % (ulong)count);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An item other than <paramref name="not"/> (the list must hold two or more).</summary>
    public T PickOther<T>(IReadOnlyList<T> items, T not)
        where T : class
    {
        while (true)
        {
            var item = Pick(items);
            if (!ReferenceEquals(item, not))
            {
                return item;
            }
        }
    }

    /// <summary>A shuffled copy (Fisher–Yates).</summary>
    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    /// <summary>A generator for a named sub-stream, so adding draws to one part of the world does not change the others.</summary>
    public static WorldRandom For(ulong seed, string stream)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return new WorldRandom(seed ^ hash);
    }
}
