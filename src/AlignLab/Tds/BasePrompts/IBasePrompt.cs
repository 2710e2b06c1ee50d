using AlignLab.Backends;
using AlignLab.Data;

namespace AlignLab.Tds.BasePrompts;

/// <summary>What a base prompt may use: the base model (to tokenize) and the aligned model's chat prompt ids.</summary>
public sealed record BasePromptContext(ILanguageModel Base, IReadOnlyList<int> AlignedPromptIds);

/// <summary>
/// The prompt the base model reads before the aligned answer (<c>--base-prompt</c>): its token ids for one
/// instruction. The answer's ids are appended to them, never tokenized together with them.
/// </summary>
public interface IBasePrompt
{
    /// <summary>The name given on the command line (or a file name).</summary>
    string Name { get; }

    /// <summary>SHA-256 of the prompt's text, for prompts given as text (URIAL); null for <c>plain</c> and <c>chat</c>.</summary>
    string? Sha256 => null;

    IReadOnlyList<int> Build(InstructionRecord record, BasePromptContext context);
}
