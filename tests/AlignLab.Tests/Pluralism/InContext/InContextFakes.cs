using AlignLab.Data;
using AlignLab.Embeddings;
using AlignLab.Pluralism.InContext;

namespace AlignLab.Tests.Pluralism.InContext;

/// <summary>An embedder with vectors written by hand (normalised here), that records every text it is asked to embed.</summary>
internal sealed class HandEmbedder(IReadOnlyDictionary<string, float[]> vectors, string name = "hand") : IEmbedder
{
    public List<string> Asked { get; } = [];

    public string Name => name;

    public float[] Embed(string text)
    {
        Asked.Add(text);
        return vectors.TryGetValue(text, out var vector)
            ? UnitVector.Normalize(vector)
            : throw new KeyNotFoundException($"no hand-made vector for '{text}'");
    }
}

/// <summary>A summarizer that writes "Summary of: ANSWER" and counts its calls.</summary>
internal sealed class CountingSummarizer(string name = "counting") : IAnswerSummarizer
{
    public List<(string Query, string Answer)> Calls { get; } = [];

    public string Name => name;

    public string PromptSha256 => "prompt-1";

    public string Summarize(string query, string answer, CancellationToken cancel = default)
    {
        Calls.Add((query, answer));
        return "Summary of: " + answer;
    }
}

internal static class InContextData
{
    public static InstructionRecord Record(RecordId id, string instruction, int index = 0)
        => new() { Id = id, Instruction = instruction, Index = index, Line = index + 1 };

    public static TeacherAnswer Answer(long id, string instruction, string answer) => new(RecordId.FromNumber(id), instruction, answer);

    public static TeacherAnswers Teacher(params TeacherAnswer[] answers) => TeacherAnswers.Of(answers, "teacher.jsonl", "teacher-sha");
}
