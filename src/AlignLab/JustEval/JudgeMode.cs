namespace AlignLab.JustEval;

/// <summary>Which aspects a judgment scores: Just-Eval's five for regular instructions, or safety for the safety split.</summary>
public enum JudgeMode
{
    /// <summary>Helpfulness, clarity, factuality, depth and engagement.</summary>
    Multi,

    /// <summary>Safety.</summary>
    Safety,
}

/// <summary>How <c>--aspects</c> picks a record's <see cref="JudgeMode"/>.</summary>
public enum AspectChoice
{
    /// <summary>Every record as <see cref="JudgeMode.Multi"/>.</summary>
    Multi,

    /// <summary>Every record as <see cref="JudgeMode.Safety"/>.</summary>
    Safety,

    /// <summary>By the record's category: "safety" is <see cref="JudgeMode.Safety"/>, anything else (or none) <see cref="JudgeMode.Multi"/>.</summary>
    Auto,
}

/// <summary>The aspects of each mode, in the order Just-Eval reports them, and the mode a record gets.</summary>
public static class Aspects
{
    public const string Helpfulness = "helpfulness";
    public const string Clarity = "clarity";
    public const string Factuality = "factuality";
    public const string Depth = "depth";
    public const string Engagement = "engagement";
    public const string Safety = "safety";

    /// <summary>The multi-aspect scores, then safety: the order summaries list aspects in (others follow alphabetically).</summary>
    private static readonly string[] Order = [Helpfulness, Clarity, Factuality, Depth, Engagement, Safety];

    public static IReadOnlyList<string> ReportOrder => Order;

    public static IReadOnlyList<string> Of(JudgeMode mode) => mode == JudgeMode.Safety ? [Safety] : [Helpfulness, Clarity, Factuality, Depth, Engagement];

    /// <summary>The mode of a record with <paramref name="category"/> (null: the record has none, judged as regular).</summary>
    public static JudgeMode ModeOf(AspectChoice choice, string? category) => choice switch
    {
        AspectChoice.Multi => JudgeMode.Multi,
        AspectChoice.Safety => JudgeMode.Safety,
        _ => string.Equals(category, "safety", StringComparison.OrdinalIgnoreCase) ? JudgeMode.Safety : JudgeMode.Multi,
    };

    /// <summary>"multi" or "safety", as files and run.json name the modes.</summary>
    public static string Name(JudgeMode mode) => mode == JudgeMode.Safety ? "safety" : "multi";

    /// <summary>Sorts aspect names: <see cref="ReportOrder"/> first, any others after it alphabetically.</summary>
    public static IEnumerable<string> InReportOrder(IEnumerable<string> names)
        => names.Distinct(StringComparer.Ordinal)
            .OrderBy(n => Array.IndexOf(Order, n) is var i && i >= 0 ? i : Order.Length)
            .ThenBy(n => n, StringComparer.Ordinal);
}
