using AlignLab.Data;
using AlignLab.Urial;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// A base model's prompt for one target query: the URIAL prompt's preamble, the examples (query, answer), then the
/// target query, rendered in the prompt's frame by the URIAL renderer (<see cref="UrialPrompt.RenderBlocks"/>) and
/// ending at the opening of the answer block. With summaries, every example carries a <c># Summary:</c> block of its
/// answer between its query and its answer, and the target query one of the teacher's answer to it — the hint of
/// what an aligned answer would say.
/// </summary>
public sealed class InContextPrompt
{
    public const string SummaryHeader = "# Summary:";

    private readonly UrialPrompt _prompt;
    private readonly IExampleSource _examples;
    private readonly CachedSummaries? _summaries;
    private readonly TeacherAnswers? _teacher;

    /// <param name="summaries">Null for no summaries; otherwise <paramref name="teacher"/> gives the target's summarized answer.</param>
    public InContextPrompt(UrialPrompt prompt, IExampleSource examples, CachedSummaries? summaries, TeacherAnswers? teacher)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(examples);
        if (summaries is not null && teacher is null)
        {
            throw new ArgumentException("summaries need the teacher's answers to summarize for the target queries", nameof(teacher));
        }
        _prompt = prompt;
        _examples = examples;
        _summaries = summaries;
        _teacher = teacher;
    }

    public UrialPrompt UrialPrompt => _prompt;

    /// <summary>Fails, naming the first query, when a target has no teacher answer to summarize (nothing to check without summaries).</summary>
    public void CheckTargets(IEnumerable<InstructionRecord> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (_summaries is null)
        {
            return;
        }
        foreach (var target in targets)
        {
            TargetAnswer(target);
        }
    }

    public string Render(InstructionRecord target, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var markers = _prompt.Frame.Markers;
        var blocks = new List<UrialTurn>();
        foreach (var example in _examples.For(target))
        {
            blocks.Add(new UrialTurn(markers.Query, example.Query));
            if (_summaries is not null)
            {
                blocks.Add(new UrialTurn(SummaryHeader, _summaries.SummaryOf(example.Query, example.Answer, cancel)));
            }
            blocks.Add(new UrialTurn(markers.Answer, example.Answer));
        }
        blocks.Add(new UrialTurn(markers.Query, target.Instruction));
        if (_summaries is not null)
        {
            var answer = TargetAnswer(target);
            blocks.Add(new UrialTurn(SummaryHeader, _summaries.SummaryOf(answer.Instruction.Trim(), answer.Answer.Trim(), cancel)));
        }
        return _prompt.RenderBlocks(blocks, keepExamples: false);
    }

    private TeacherAnswer TargetAnswer(InstructionRecord target)
        => _teacher!.Require(target.Instruction, $"instruction {target.Id} of the data, whose summary the summary variant shows");
}
