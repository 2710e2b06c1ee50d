namespace AlignLab.Pluralism.Coverage;

/// <summary>The questions the coverage judge answers.</summary>
public enum CoverageTask
{
    /// <summary>How much of an alternative answer's information is missing from the reference answer, 1 (none) to 5 (almost all).</summary>
    Missing,

    /// <summary>The topics of a reference and an alternative answer, each assigned to the reference, the alternative or both.</summary>
    Topics,

    /// <summary>One answer's stance on a contentious yes/no question: yes, no, both or other.</summary>
    Stance,
}

/// <summary>The tasks' names in files and prompts.</summary>
public static class CoverageTasks
{
    public static string Name(CoverageTask task) => task switch
    {
        CoverageTask.Missing => "missing",
        CoverageTask.Topics => "topics",
        CoverageTask.Stance => "stance",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown coverage task"),
    };
}
