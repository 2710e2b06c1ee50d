namespace AlignLab.Tds;

/// <summary>Seconds spent per phase, summed over examples.</summary>
public sealed class PhaseTimes
{
    public double GenerationSeconds { get; set; }

    public double AlignedScoringSeconds { get; set; }

    public double BaseScoringSeconds { get; set; }

    /// <summary>Greedy answers corrected to the argmax of the scoring pass (see <see cref="ExampleAnalyzer"/>).</summary>
    public int GreedyRepairs { get; set; }

    /// <summary>Adds <paramref name="other"/>'s seconds and repairs to these.</summary>
    public void Add(PhaseTimes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        GenerationSeconds += other.GenerationSeconds;
        AlignedScoringSeconds += other.AlignedScoringSeconds;
        BaseScoringSeconds += other.BaseScoringSeconds;
        GreedyRepairs += other.GreedyRepairs;
    }
}
