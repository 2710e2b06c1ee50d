using System.Security.Cryptography;
using System.Text;
using AlignLab.Data;
using AlignLab.Engine.Generation;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// K candidates drawn without replacement, in the order drawn, by a generator seeded from the run's seed and the
/// target's id — so a query gets the same examples in every run, shard and resume with that seed, whatever else is answered.
/// </summary>
public sealed class RandomSelector(ulong seed) : IExampleSelector
{
    public IReadOnlyList<TeacherAnswer> Select(InstructionRecord target, IReadOnlyList<TeacherAnswer> candidates, int k)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, candidates.Count);
        var random = new SamplingRandom(seed ^ IdHash(target.Id));
        var order = Enumerable.Range(0, candidates.Count).ToArray();
        var chosen = new TeacherAnswer[k];
        for (var i = 0; i < k; i++)
        {
            // A partial Fisher–Yates shuffle: position i takes one of the positions not drawn yet.
            var j = i + (int)(random.NextUInt64() % (ulong)(order.Length - i));
            (order[i], order[j]) = (order[j], order[i]);
            chosen[i] = candidates[order[i]];
        }
        return chosen;
    }

    /// <summary>64 bits of the SHA-256 of the id's key: stable across processes, unlike string hash codes.</summary>
    private static ulong IdHash(RecordId id) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(id.Key)));
}
