using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Runs;

namespace AlignLab.AnswerSets;

/// <summary>
/// An aligned model answering through its own chat template: the instruction as the user message, after an
/// optional system message; the answer ends at the model's end of turn and is written out trimmed.
/// </summary>
public sealed class ChatAnswerFormat(string? system, string? chatTemplatePath) : IAnswerFormat
{
    public string GeneratorName(string modelName) => modelName;

    public JsonObject Describe() => new()
    {
        ["format"] = "chat",
        ["system"] = system,
        ["chat_template_sha256"] = chatTemplatePath is null ? null : FileHash.Sha256OfFile(chatTemplatePath),
    };

    public IReadOnlyList<int> Prompt(ILanguageModel model, string instruction)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ChatPrompt(instruction, system);
    }

    public IAnswerReader? StartAnswer() => null;

    public string Clean(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return raw.Trim();
    }
}
