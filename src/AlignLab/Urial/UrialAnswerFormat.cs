using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;

namespace AlignLab.Urial;

/// <summary>
/// A base model answering in context: the instruction appended to a URIAL prompt in its frame, the answer
/// read until a stop (<see cref="UrialAnswerReader"/>) and cleaned (<see cref="UrialAnswerCleanup"/>).
/// </summary>
public sealed class UrialAnswerFormat(UrialPrompt prompt) : IAnswerFormat
{
    public UrialPrompt UrialPrompt { get; } = prompt ?? throw new ArgumentNullException(nameof(prompt));

    public string GeneratorName(string modelName) => $"{modelName}+URIAL={UrialPrompt.Name}";

    public JsonObject Describe() => new()
    {
        ["format"] = "urial",
        ["prompt"] = UrialPrompt.Name,
        ["prompt_sha256"] = UrialPrompt.Sha256,
    };

    public IReadOnlyList<int> Prompt(ILanguageModel model, string instruction)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.EncodePrompt(UrialPrompt.RenderQuery(instruction));
    }

    public IAnswerReader StartAnswer() => new UrialAnswerReader(UrialPrompt.Frame);

    public string Clean(string raw) => UrialAnswerCleanup.Clean(raw);
}
