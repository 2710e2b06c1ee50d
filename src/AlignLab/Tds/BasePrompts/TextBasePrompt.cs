using AlignLab.Data;

namespace AlignLab.Tds.BasePrompts;

/// <summary>A base prompt given as text around the instruction (a URIAL frame, say), tokenized by the base model as a plain prompt.</summary>
public sealed class TextBasePrompt(string name, Func<string, string> render, string sha256) : IBasePrompt
{
    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    public string Sha256 { get; } = sha256 ?? throw new ArgumentNullException(nameof(sha256));

    public IReadOnlyList<int> Build(InstructionRecord record, BasePromptContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        return context.Base.EncodePrompt(render(record.Instruction));
    }
}
