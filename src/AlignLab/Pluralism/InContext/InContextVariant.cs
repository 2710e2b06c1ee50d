namespace AlignLab.Pluralism.InContext;

/// <summary>Where the in-context examples of a base model's prompt come from.</summary>
public enum InContextExamples
{
    /// <summary>The URIAL prompt's own examples, the same for every query.</summary>
    Urial,

    /// <summary>The URIAL prompt's example queries, answered by the teacher (an aligned model's answer set).</summary>
    Teacher,

    /// <summary>K of the teacher's answers to other queries, chosen per query (<see cref="ExampleSelection"/>).</summary>
    Dynamic,
}

/// <summary>
/// An in-context variant of <c>pluralism sample</c>: where the examples come from, and whether every example and the
/// target query carry a <c># Summary:</c> of the answer (the "semantic hint"). Written <c>urial</c>, <c>teacher</c>,
/// <c>dynamic</c>, or one of them with <c>+summary</c>; <c>summary</c> alone is <c>teacher+summary</c>.
/// </summary>
public sealed record InContextVariant(InContextExamples Examples, bool Summary)
{
    private const string SummarySuffix = "+summary";

    /// <summary>Every value <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["urial", "teacher", "dynamic", "summary", "urial" + SummarySuffix, "teacher" + SummarySuffix, "dynamic" + SummarySuffix];

    /// <summary>The URIAL prompt as it is: what <c>pluralism sample</c> does without <c>--icl</c>.</summary>
    public static InContextVariant Plain { get; } = new(InContextExamples.Urial, Summary: false);

    /// <summary>"teacher+summary" and the like (<c>summary</c> alone is named <c>teacher+summary</c>).</summary>
    public string Name => ExamplesName(Examples) + (Summary ? SummarySuffix : "");

    /// <summary>Whether the variant needs a teacher answer set: its answers as examples, or to summarize for the target.</summary>
    public bool NeedsTeacher => Examples != InContextExamples.Urial || Summary;

    public static InContextVariant Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value == "summary")
        {
            return new InContextVariant(InContextExamples.Teacher, Summary: true);
        }
        var summary = value.EndsWith(SummarySuffix, StringComparison.Ordinal);
        var examples = (summary ? value[..^SummarySuffix.Length] : value) switch
        {
            "urial" => InContextExamples.Urial,
            "teacher" => InContextExamples.Teacher,
            "dynamic" => InContextExamples.Dynamic,
            _ => throw new ArgumentException($"unknown in-context variant '{value}': expected one of {string.Join(", ", Names)}", nameof(value)),
        };
        return new InContextVariant(examples, summary);
    }

    private static string ExamplesName(InContextExamples examples) => examples.ToString().ToLowerInvariant();
}
