using System.Globalization;

namespace AlignLab.JustEval;

/// <summary>A table of the summary, its cells already formatted.</summary>
public sealed record SummaryTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// The summary's tables, shared by the terminal and the HTML page: the sets side by side (judged, failed, every aspect's
/// mean, the average, words), the aspects' 95% intervals, each set's breakdowns by task type, topic, difficulty and
/// source dataset with every aspect, and, for several sets, each breakdown's averages side by side. Scores show two
/// decimals (the JSON keeps them unrounded); "–" marks an aspect a set has no score for.
/// </summary>
public static class SummaryTables
{
    public const string Missing = "–";

    public static IReadOnlyList<SummaryTable> Build(JudgeSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var aspects = AllAspects(summary);
        var tables = new List<SummaryTable>
        {
            new("Answer sets", ["set", "judged", "failed", .. aspects, "average", "words"],
                [.. summary.Sets.Select(s => (IReadOnlyList<string>)[s.Name, Count(s.Judged), Count(s.Failed), .. aspects.Select(a => Score(MeanOf(s, a))), Score(s.Average), Words(s.Words)])]),
            new("95% bootstrap intervals", ["set", .. aspects],
                [.. summary.Sets.Select(s => (IReadOnlyList<string>)[s.Name, .. aspects.Select(a => Interval(s, a))])]),
        };
        foreach (var dimension in Dimensions(summary))
        {
            foreach (var set in summary.Sets)
            {
                var groups = set.Breakdowns.First(b => b.Dimension == dimension).Groups;
                if (groups.Count > 0)
                {
                    tables.Add(new SummaryTable($"By {Label(dimension)}: {set.Name}", [Label(dimension), "n", .. aspects, "average"],
                        [.. groups.Select(g => (IReadOnlyList<string>)[g.Group, Count(g.Count), .. aspects.Select(a => Score(GroupMean(g, a))), Score(g.Average)])]));
                }
            }
            if (summary.Sets.Count > 1)
            {
                var groupNames = GroupNames(summary, dimension);
                tables.Add(new SummaryTable($"Average by {Label(dimension)}, side by side", [Label(dimension), .. summary.Sets.Select(s => s.Name)],
                    [.. groupNames.Select(g => (IReadOnlyList<string>)[g, .. summary.Sets.Select(s => Score(GroupOf(s, dimension, g)?.Average))])]));
            }
        }
        return tables;
    }

    /// <summary>"task type", "topic", "difficulty", "source dataset".</summary>
    public static string Label(string dimension) => dimension switch
    {
        "task" => "task type",
        "dataset" => "source dataset",
        _ => dimension,
    };

    /// <summary>Every aspect any set has, in report order.</summary>
    public static IReadOnlyList<string> AllAspects(JudgeSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return [.. Aspects.InReportOrder(summary.Sets.SelectMany(s => s.Aspects.Select(a => a.Aspect)))];
    }

    /// <summary>The dimensions some set has groups in, in the summary's order.</summary>
    public static IReadOnlyList<string> Dimensions(JudgeSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return [.. summary.Sets.SelectMany(s => s.Breakdowns).Where(b => b.Groups.Count > 0).Select(b => b.Dimension).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The groups of a dimension over every set: by the first set's order, then any others.</summary>
    public static IReadOnlyList<string> GroupNames(JudgeSummary summary, string dimension)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return [.. summary.Sets.SelectMany(s => s.Breakdowns.First(b => b.Dimension == dimension).Groups.Select(g => g.Group)).Distinct(StringComparer.Ordinal)];
    }

    public static GroupScores? GroupOf(SetSummary set, string dimension, string group)
    {
        ArgumentNullException.ThrowIfNull(set);
        return set.Breakdowns.First(b => b.Dimension == dimension).Groups.FirstOrDefault(g => g.Group == group);
    }

    public static double? MeanOf(SetSummary set, string aspect)
    {
        ArgumentNullException.ThrowIfNull(set);
        return set.Aspects.FirstOrDefault(a => a.Aspect == aspect)?.Mean;
    }

    public static string Score(double? value) => value is double v ? v.ToString("F2", CultureInfo.InvariantCulture) : Missing;

    private static double? GroupMean(GroupScores group, string aspect)
        => group.Aspects.Where(a => a.Aspect == aspect).Select(a => (double?)a.Mean).FirstOrDefault();

    private static string Interval(SetSummary set, string aspect)
        => set.Aspects.FirstOrDefault(a => a.Aspect == aspect) is { } mean
            ? string.Create(CultureInfo.InvariantCulture, $"{mean.Low:F2}–{mean.High:F2}")
            : Missing;

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Words(double? words) => words is double w ? w.ToString("F1", CultureInfo.InvariantCulture) : Missing;
}
