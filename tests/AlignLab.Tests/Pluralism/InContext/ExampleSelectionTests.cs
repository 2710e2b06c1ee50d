using AlignLab.Data;
using AlignLab.Pluralism.InContext;
using static AlignLab.Tests.Pluralism.InContext.InContextData;

namespace AlignLab.Tests.Pluralism.InContext;

/// <summary>Which teacher answers the dynamic variant shows: never the query itself, random draws fixed by the seed, k-NN truly nearest.</summary>
public sealed class ExampleSelectionTests
{
    private const string Target = "How do tides work?";

    /// <summary>
    /// Around the target (id 1): an answer under the target's id with another text, a duplicate of the target's text
    /// (other whitespace) under another id, and five other queries. The target's two look-alikes are the nearest of all.
    /// </summary>
    private static readonly TeacherAnswers Pool = Teacher(
        Answer(1, "Some other query under the target's id", "Same id."),
        Answer(2, "What makes the sea salty?", "Minerals washed from rocks."),
        Answer(3, "  " + Target + "\n", "A duplicate of the target under another id."),
        Answer(4, "Why is the sky blue?", "Rayleigh scattering."),
        Answer(5, "How do magnets work?", "Aligned electron spins."),
        Answer(6, "What is a black hole?", "Collapsed matter."),
        Answer(7, "How do birds migrate?", "Magnetic and star cues."));

    /// <summary>The teacher answers the target itself, same id and text.</summary>
    private static readonly TeacherAnswers PoolWithOwnAnswer = Teacher(
        Answer(1, Target, "Tides come from the moon's pull."),
        Answer(2, "What makes the sea salty?", "Minerals washed from rocks."),
        Answer(4, "Why is the sky blue?", "Rayleigh scattering."));

    private static readonly InstructionRecord TargetRecord = Record(RecordId.FromNumber(1), Target);

    /// <summary>Vectors chosen so the target's own query and answer, and its duplicate, are the nearest of all.</summary>
    private static HandEmbedder Embedder() => new(new Dictionary<string, float[]>
    {
        [Target] = [1, 0, 0],
        ["  " + Target + "\n"] = [1, 0, 0],
        ["Tides come from the moon's pull."] = [1, 0, 0],
        ["A duplicate of the target under another id."] = [1, 0, 0],
        ["What makes the sea salty?"] = [0.9f, 0.1f, 0],
        ["Minerals washed from rocks."] = [0, 1, 0],
        ["Why is the sky blue?"] = [0, 1, 0],
        ["Rayleigh scattering."] = [0.8f, 0.6f, 0],
        ["How do magnets work?"] = [0.6f, 0.8f, 0],
        ["Aligned electron spins."] = [0, 0, 1],
        ["What is a black hole?"] = [0, 0, 1],
        ["Collapsed matter."] = [0.6f, 0, 0.8f],
        ["How do birds migrate?"] = [-1, 0, 0],
        ["Magnetic and star cues."] = [0.95f, 0, 0.31224990f],
        ["Some other query under the target's id"] = [1, 0, 0],
        ["Same id."] = [1, 0, 0],
    });

    private static List<long> Ids(IEnumerable<TeacherAnswer> answers) => [.. answers.Select(a => long.Parse(a.Id.Text, System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData(ExampleSelection.KnnQuery)]
    [InlineData(ExampleSelection.KnnAnswer)]
    [InlineData(ExampleSelection.Random)]
    public void No_selection_returns_the_query_itself_nor_a_duplicate_of_its_text(ExampleSelection selection)
    {
        var embedder = Embedder();
        IExampleSelector selector = selection == ExampleSelection.Random ? new RandomSelector(seed: 3) : new NearestSelector(embedder, selection);
        // K as large as the pool: everything that may be shown is shown.
        var chosen = Ids(new DynamicExamples(Pool, selector, k: 7).Choose(TargetRecord));
        Assert.Equal([2, 4, 5, 6, 7], chosen.Order());
        var withOwn = Ids(new DynamicExamples(PoolWithOwnAnswer, selector, k: 3).Choose(TargetRecord));
        Assert.Equal([2, 4], withOwn.Order());
        Assert.DoesNotContain("Tides come from the moon's pull.", embedder.Asked);
    }

    [Fact]
    public void Knn_query_picks_the_nearest_queries_and_shows_the_nearest_last()
    {
        // Cosines with the target query (1, 0, 0): salty 0.994, magnets 0.6, sky 0, black hole 0, birds -1.
        var chosen = new DynamicExamples(Pool, new NearestSelector(Embedder(), ExampleSelection.KnnQuery), k: 2).Choose(TargetRecord);
        Assert.Equal([5, 2], Ids(chosen));
    }

    [Fact]
    public void Knn_answer_compares_the_target_query_with_the_other_answers_and_never_embeds_the_target_answer()
    {
        // Cosines of the target query (1, 0, 0) with the answers: birds 0.95, sky 0.8, black hole 0.6, salty 0, magnets 0.
        var embedder = Embedder();
        var chosen = new DynamicExamples(Pool, new NearestSelector(embedder, ExampleSelection.KnnAnswer), k: 3).Choose(TargetRecord);
        Assert.Equal([6, 4, 7], Ids(chosen));
        Assert.DoesNotContain("A duplicate of the target under another id.", embedder.Asked);
        Assert.DoesNotContain("Same id.", embedder.Asked);
        Assert.Contains(Target, embedder.Asked);
    }

    [Fact]
    public void Ties_go_to_the_answer_earlier_in_the_teacher_file()
    {
        // Sky and black hole both have cosine 0 with the target query; sky comes first in the file, so it is nearer.
        var chosen = new DynamicExamples(Pool, new NearestSelector(Embedder(), ExampleSelection.KnnQuery), k: 3).Choose(TargetRecord);
        Assert.Equal([4, 5, 2], Ids(chosen));
    }

    [Fact]
    public void Random_selection_is_the_same_for_the_same_seed_and_differs_between_seeds()
    {
        var pool = Teacher([.. Enumerable.Range(10, 40).Select(i => Answer(i, $"Query {i}?", $"Answer {i}."))]);
        IReadOnlyList<long> Draw(ulong seed, RecordId id) => Ids(new DynamicExamples(pool, new RandomSelector(seed), k: 4).Choose(Record(id, "Query 12?")));

        var first = Draw(7, RecordId.FromString("q"));
        Assert.Equal(first, Draw(7, RecordId.FromString("q")));
        Assert.Equal(4, first.Distinct().Count());
        Assert.DoesNotContain(12, first);
        var others = new ulong[] { 8, 9, 10, 11 }.Select(seed => Draw(seed, RecordId.FromString("q"))).ToList();
        Assert.Contains(others, o => !o.SequenceEqual(first));
        // Another query draws on its own: its id seeds the draw too.
        Assert.NotEqual(first, Draw(7, RecordId.FromString("r")));
    }

    [Fact]
    public void With_fewer_candidates_than_k_all_are_shown()
    {
        var pool = Teacher(Answer(1, Target, "Own."), Answer(2, "Other?", "Other."));
        Assert.Equal([2], Ids(new DynamicExamples(pool, new RandomSelector(0), k: 3).Choose(TargetRecord)));
    }
}
