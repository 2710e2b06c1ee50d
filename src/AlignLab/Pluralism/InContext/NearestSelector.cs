using AlignLab.Data;
using AlignLab.Embeddings;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// The K candidates most similar to the target query: the cosine of the target QUERY's embedding with each
/// candidate's query embedding (<see cref="ExampleSelection.KnnQuery"/>) or with each candidate's teacher ANSWER
/// embedding (<see cref="ExampleSelection.KnnAnswer"/>). The target's own teacher answer is never used to choose, so
/// the examples give away nothing of the answer the target would get. Ties go to the candidate earlier in the
/// teacher's file. The nearest is shown last, next to the target query. Each text is embedded once per selector.
/// </summary>
public sealed class NearestSelector : IExampleSelector
{
    private readonly IEmbedder _embedder;
    private readonly bool _byAnswer;
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public NearestSelector(IEmbedder embedder, ExampleSelection selection)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        if (selection == ExampleSelection.Random)
        {
            throw new ArgumentException("random selection does not use embeddings", nameof(selection));
        }
        _embedder = embedder;
        _byAnswer = selection == ExampleSelection.KnnAnswer;
    }

    public IReadOnlyList<TeacherAnswer> Select(InstructionRecord target, IReadOnlyList<TeacherAnswer> candidates, int k)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, candidates.Count);
        var query = VectorOf(target.Instruction);
        return [.. candidates
            .Select((candidate, index) => (candidate, index, similarity: UnitVector.Dot(query, VectorOf(_byAnswer ? candidate.Answer : candidate.Instruction))))
            .OrderByDescending(c => c.similarity).ThenBy(c => c.index)
            .Take(k)
            .Reverse()
            .Select(c => c.candidate)];
    }

    private float[] VectorOf(string text)
    {
        if (!_vectors.TryGetValue(text, out var vector))
        {
            vector = _vectors[text] = _embedder.Embed(text);
        }
        return vector;
    }
}
