using System.Globalization;
using AlignLab.Reports;

namespace AlignLab.Organism;

/// <summary>One published finding, what the demo measured, and whether the measurement agrees.</summary>
/// <param name="Agrees">Null when the runs hold too little to say.</param>
public sealed record DemoFinding(string Claim, string Measured, bool? Agrees);

/// <summary>
/// Sets the demo's measurements beside the URIAL paper's findings (Lin et al., 2023). Each verdict is computed
/// from the summaries, never assumed: where the organism behaves differently, the report says so.
/// </summary>
internal static class DemoFindings
{
    public static IReadOnlyList<DemoFinding> Compare(TdsSummary plain, TdsSummary urial)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(urial);
        var findings = new List<DemoFinding>
        {
            new("Most answer positions are unshifted: the base model already ranks the aligned token first.",
                $"{Percent(plain.Total.Ratios.Unshifted)} unshifted with the plain prompt",
                plain.Total.Positions == 0 ? null : plain.Total.Ratios.Unshifted > 0.5),
        };
        if (plain.Organism is { } o)
        {
            findings.Add(new("Shifted positions are mostly stylistic tokens, not knowledge.",
                $"{Percent(o.Precision)} of shifted positions are style (style is {Percent(o.StyleShare)} of all labelled positions)",
                o.Precision is { } p && o.StyleShare is { } share ? p >= 0.5 && p > share : null));
            double? styleRate = ShiftedRate(o.Style), knowledgeRate = ShiftedRate(o.Knowledge);
            findings.Add(new("Style tokens shift far more often than knowledge tokens.",
                $"{Percent(styleRate)} of style positions shifted, {Percent(knowledgeRate)} of knowledge positions",
                styleRate is { } s && knowledgeRate is { } k ? s > k : null));
        }
        double plainShifted = plain.Total.Ratios.Shifted, urialShifted = urial.Total.Ratios.Shifted;
        findings.Add(new("In-context alignment (URIAL) reduces the shift.",
            $"shifted {Percent(plainShifted)} with the plain prompt, {Percent(urialShifted)} with the URIAL prompt{Overlap(plain, urial)}",
            plain.Total.Positions == 0 || urial.Total.Positions == 0 ? null : urialShifted < plainShifted));
        return findings;
    }

    private static double? ShiftedRate(PerClass<long> counts)
    {
        var total = counts.Unshifted + counts.Marginal + counts.Shifted;
        return total == 0 ? null : (double)counts.Shifted / total;
    }

    /// <summary>A note when the two shifted ratios' 95% intervals overlap (the difference may be noise).</summary>
    private static string Overlap(TdsSummary plain, TdsSummary urial)
        => plain.Total.Ci95 is { } a && urial.Total.Ci95 is { } b && a.Shifted.Low <= b.Shifted.High && b.Shifted.Low <= a.Shifted.High
            ? " (their 95% intervals overlap)"
            : "";

    public static string Percent(double? value)
        => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
}
