using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Data;

namespace AlignLab.AnswerSets;

/// <summary>
/// How an answer set prompts its model and turns what the model writes into the answer: URIAL's in-context
/// prompt for a base model, or an aligned model's own chat template. Everything else about a run is shared.
/// </summary>
public interface IAnswerFormat
{
    /// <summary>The Just-Eval <c>generator</c> field: the model's name and how it was prompted.</summary>
    string GeneratorName(string modelName);

    /// <summary>
    /// What, besides the model and the sampling settings, decides the answers (the prompt's name and hash, the
    /// system message, ...): written to run.json, and a resumed run must match it. Where files came from is
    /// not part of it (a moved file with the same content continues the run); their hashes are.
    /// </summary>
    JsonObject Describe();

    /// <summary>The prompt ids for one instruction.</summary>
    IReadOnlyList<int> Prompt(ILanguageModel model, string instruction);

    /// <summary>
    /// The prompt ids for one record: the instruction's prompt, unless the format needs more of the record (in-context
    /// examples chosen per record leave out the record's own id).
    /// </summary>
    IReadOnlyList<int> Prompt(ILanguageModel model, InstructionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Prompt(model, record.Instruction);
    }

    /// <summary>A reader that decides where one answer ends, or null when only the model's end of turn ends it.</summary>
    IAnswerReader? StartAnswer();

    /// <summary>The answer as it is written out, from the text the model wrote (cut by the reader, if any).</summary>
    string Clean(string raw);
}
