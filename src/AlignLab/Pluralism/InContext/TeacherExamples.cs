using AlignLab.Data;
using AlignLab.Urial;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// The URIAL prompt's example queries answered by the teacher, the same for every query. Every example query must
/// be among the teacher's; the first that is not is an error naming it, raised when the source is made.
/// </summary>
public sealed class TeacherExamples : IExampleSource
{
    private readonly IReadOnlyList<InContextExample> _examples;

    public TeacherExamples(UrialPrompt prompt, TeacherAnswers teacher)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(teacher);
        if (prompt.Examples.Count == 0)
        {
            throw new ArgumentException($"prompt '{prompt.Name}' has no example queries for the teacher to answer: use a prompt with examples (such as stylistic) or the dynamic variant");
        }
        _examples = [.. prompt.Examples.Select(e => new InContextExample(e.Query.Content,
            teacher.Require(e.Query.Content, $"an example query of prompt '{prompt.Name}'").Answer.Trim()))];
    }

    public IReadOnlyList<InContextExample> For(InstructionRecord target) => _examples;
}
