using AlignLab.Data;

namespace AlignLab.Tds.BasePrompts;

/// <summary><c>plain</c>: the bare instruction (BOS first when the base model's tokenizer adds one).</summary>
public sealed class PlainBasePrompt : IBasePrompt
{
    public string Name => "plain";

    public IReadOnlyList<int> Build(InstructionRecord record, BasePromptContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        return context.Base.EncodePrompt(record.Instruction);
    }
}
