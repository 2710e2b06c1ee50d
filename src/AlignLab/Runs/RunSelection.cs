using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>Which records a run works on: its shard's records in file order, then at most <c>limit</c> of them.</summary>
public static class RunSelection
{
    public static IReadOnlyList<InstructionRecord> Select(IEnumerable<InstructionRecord> records, Shard shard, int? limit)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(shard);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), $"limit {limit} must be ≥ 0");
        }
        var selected = records.Where(r => shard.Contains(r.Index));
        return [.. limit is int n ? selected.Take(n) : selected];
    }
}
