namespace AlignLab.Engine.Templates;

/// <summary>
/// Per-render settings. The limits keep a hostile template from hanging or exhausting memory; the
/// defaults are far above what any real chat template needs.
/// </summary>
public sealed record TemplateOptions
{
    public static TemplateOptions Default { get; } = new();

    /// <summary>The time <c>strftime_now</c> reports (its clock time is used as is); null means the current local time.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Loop iterations allowed in one render, over all loops together, counting the items filters and 'in' go through.</summary>
    public long MaxLoopIterations { get; init; } = 1_000_000;

    /// <summary>How deeply macro calls may nest.</summary>
    public int MaxRecursionDepth { get; init; } = 200;

    /// <summary>
    /// Characters a render may produce, and the longest string or list an expression may build.
    /// Output written inside macros counts too, so the bound is on work as well as on the result.
    /// </summary>
    public long MaxOutputLength { get; init; } = 64L * 1024 * 1024;

    /// <summary>Wall-clock bound on one render, for work the counters above do not see (scanning huge strings); null for none.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
