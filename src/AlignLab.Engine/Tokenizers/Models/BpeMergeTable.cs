namespace AlignLab.Engine.Tokenizers.Models;

/// <summary>Merge rules keyed by the pair of ids: rank (priority, lower first) and the id of the result.</summary>
internal sealed class BpeMergeTable
{
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;

    public BpeMergeTable(int capacity) => _merges = new Dictionary<long, (int, int)>(capacity);

    /// <summary>Adds a rule unless the pair already has one (the first, best-ranked rule wins).</summary>
    public void Add(int left, int right, int rank, int newId) => _merges.TryAdd(Key(left, right), (rank, newId));

    public bool TryGet(int left, int right, out int rank, out int newId)
    {
        if (_merges.TryGetValue(Key(left, right), out var m))
        {
            (rank, newId) = m;
            return true;
        }
        rank = newId = 0;
        return false;
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
