using AlignLab.Data;

namespace AlignLab.Pluralism.InContext;

/// <summary>The examples a base model sees before one target query, in the order they are shown.</summary>
public interface IExampleSource
{
    IReadOnlyList<InContextExample> For(InstructionRecord target);
}
