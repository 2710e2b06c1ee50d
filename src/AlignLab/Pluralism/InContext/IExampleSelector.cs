using AlignLab.Data;

namespace AlignLab.Pluralism.InContext;

/// <summary>Chooses a target query's examples among candidate teacher answers (the target's own already left out).</summary>
public interface IExampleSelector
{
    /// <summary><paramref name="k"/> (at most the candidates' count) of <paramref name="candidates"/>, in the order they are shown.</summary>
    IReadOnlyList<TeacherAnswer> Select(InstructionRecord target, IReadOnlyList<TeacherAnswer> candidates, int k);
}
