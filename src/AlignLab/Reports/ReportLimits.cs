namespace AlignLab.Reports;

/// <summary>
/// Bounds on what one report reads, so a corrupt or unexpectedly huge run directory fails with a clear
/// error instead of exhausting memory or producing a page no browser can open. The defaults allow about
/// four times the 1,000 answers × 500 tokens the report is designed for.
/// </summary>
public sealed record ReportLimits
{
    /// <summary>One line of positions.jsonl (an answer of a few thousand tokens with top-10 lists is well under this).</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    public long MaxSummaryBytes { get; init; } = 64L << 20;

    public long MaxRunJsonBytes { get; init; } = 16L << 20;

    /// <summary>Answer positions over all aligned models (each costs about 82 bytes of page).</summary>
    public long MaxPositions { get; init; } = 2_000_000;

    /// <summary>Examples over all aligned models.</summary>
    public long MaxExamples { get; init; } = 100_000;
}
