namespace AlignLab.Pluralism.InContext;

/// <summary>How the dynamic variant chooses a query's examples among the teacher's answers to other queries.</summary>
public enum ExampleSelection
{
    /// <summary>Drawn at random, by the run's seed and the query's id.</summary>
    Random,

    /// <summary>The K whose queries' embeddings are nearest to the target query's.</summary>
    KnnQuery,

    /// <summary>The K whose answers' embeddings are nearest to the target query's (the target's own teacher answer plays no part).</summary>
    KnnAnswer,
}

/// <summary>The names of <see cref="ExampleSelection"/> on the command line and in run.json.</summary>
public static class ExampleSelections
{
    public static IReadOnlyList<string> Names { get; } = ["random", "knn-query", "knn-answer"];

    public static string Name(ExampleSelection selection) => selection switch
    {
        ExampleSelection.Random => "random",
        ExampleSelection.KnnQuery => "knn-query",
        ExampleSelection.KnnAnswer => "knn-answer",
        _ => throw new ArgumentOutOfRangeException(nameof(selection)),
    };

    public static ExampleSelection Parse(string value) => value switch
    {
        "random" => ExampleSelection.Random,
        "knn-query" => ExampleSelection.KnnQuery,
        "knn-answer" => ExampleSelection.KnnAnswer,
        _ => throw new ArgumentException($"unknown selection '{value}': expected one of {string.Join(", ", Names)}", nameof(value)),
    };

    public static bool NeedsEmbedder(ExampleSelection selection) => selection != ExampleSelection.Random;
}
