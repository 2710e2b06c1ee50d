using System.Globalization;
using AlignLab.Data;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// K of the teacher's answers chosen per target query by a selector, never the target itself: a teacher answer whose
/// id is the target's, or whose instruction is the target's text (a duplicate under another id), is left out before
/// the selector sees the candidates. With fewer candidates than K, all of them are shown.
/// </summary>
public sealed class DynamicExamples : IExampleSource
{
    private readonly TeacherAnswers _teacher;
    private readonly IExampleSelector _selector;

    public DynamicExamples(TeacherAnswers teacher, IExampleSelector selector, int k)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(selector);
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), string.Create(CultureInfo.InvariantCulture, $"K {k} must be at least 1"));
        }
        _teacher = teacher;
        _selector = selector;
        K = k;
    }

    public int K { get; }

    public IReadOnlyList<InContextExample> For(InstructionRecord target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return [.. Choose(target).Select(a => new InContextExample(a.Instruction.Trim(), a.Answer.Trim()))];
    }

    /// <summary>The chosen teacher answers for <paramref name="target"/>, in the order they are shown.</summary>
    public IReadOnlyList<TeacherAnswer> Choose(InstructionRecord target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var candidates = _teacher.Answers.Where(a => a.Id != target.Id && !TeacherAnswers.SameQuery(a.Instruction, target.Instruction)).ToList();
        return _selector.Select(target, candidates, Math.Min(K, candidates.Count));
    }
}
