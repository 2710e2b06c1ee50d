using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Urial;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// A base model answering with in-context examples other than its URIAL prompt's own, or with summaries: the prompt
/// built per record (<see cref="InContextPrompt"/>), the answer read and cleaned as URIAL's (same stops, same clean-up).
/// </summary>
public sealed class InContextAnswerFormat : IAnswerFormat
{
    private readonly InContextPrompt _prompt;
    private readonly string _label;
    private readonly JsonObject _description;

    /// <param name="label">The variant in the generator name ("teacher+summary", "dynamic:knn-query:3").</param>
    /// <param name="description">What decides the answers besides the model and sampling (see <see cref="IAnswerFormat.Describe"/>).</param>
    public InContextAnswerFormat(InContextPrompt prompt, string label, JsonObject description)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(description);
        _prompt = prompt;
        _label = label;
        _description = description;
    }

    public InContextPrompt InContextPrompt => _prompt;

    public string GeneratorName(string modelName) => $"{modelName}+URIAL={_prompt.UrialPrompt.Name}+ICL={_label}";

    public JsonObject Describe() => (JsonObject)_description.DeepClone();

    /// <summary>Refused: the examples are chosen per record (its id is left out), so a bare instruction is not enough.</summary>
    public IReadOnlyList<int> Prompt(ILanguageModel model, string instruction)
        => throw new NotSupportedException("in-context examples are chosen per record: prompt with the instruction's record");

    public IReadOnlyList<int> Prompt(ILanguageModel model, InstructionRecord record)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.EncodePrompt(_prompt.Render(record));
    }

    public IAnswerReader StartAnswer() => new UrialAnswerReader(_prompt.UrialPrompt.Frame);

    public string Clean(string raw) => UrialAnswerCleanup.Clean(raw);
}
