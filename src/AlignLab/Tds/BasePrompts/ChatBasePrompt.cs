using AlignLab.Data;

namespace AlignLab.Tds.BasePrompts;

/// <summary>
/// <c>chat</c>: exactly the aligned model's chat prompt ids (its template, system prompt included), for bases
/// that know the template and as a self-check — a model against itself then reads the same ids on both sides.
/// </summary>
public sealed class ChatBasePrompt : IBasePrompt
{
    public string Name => "chat";

    public IReadOnlyList<int> Build(InstructionRecord record, BasePromptContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.AlignedPromptIds;
    }
}
