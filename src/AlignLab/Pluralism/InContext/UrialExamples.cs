using AlignLab.Data;
using AlignLab.Urial;

namespace AlignLab.Pluralism.InContext;

/// <summary>The URIAL prompt's own examples, the same for every query.</summary>
public sealed class UrialExamples(UrialPrompt prompt) : IExampleSource
{
    private readonly IReadOnlyList<InContextExample> _examples =
        [.. (prompt ?? throw new ArgumentNullException(nameof(prompt))).Examples.Select(e => new InContextExample(e.Query.Content, e.Answer.Content))];

    public IReadOnlyList<InContextExample> For(InstructionRecord target) => _examples;
}
