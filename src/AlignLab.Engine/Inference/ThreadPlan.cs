namespace AlignLab.Engine.Inference;

/// <summary>How many threads a session uses when not told.</summary>
internal static class ThreadPlan
{
    /// <summary>Batches and decode steps on every core (placeholder until measured).</summary>
    public static (int Batch, int Decode) Automatic(int cores) => (cores, cores);
}
