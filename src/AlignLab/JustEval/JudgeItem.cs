using System.Security.Cryptography;
using System.Text;
using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>
/// One answer to judge: the record, the mode its category gives, and the key its judgment is cached under — the
/// answer's hash (instruction and output), the judge and the prompt's hash — so the same answer judged the same way
/// is never paid for twice, whichever file or run it comes from.
/// </summary>
public sealed record JudgeItem
{
    public required InstructionRecord Record { get; init; }

    public required JudgeMode Mode { get; init; }

    /// <summary>The answer text (the record's output).</summary>
    public required string Output { get; init; }

    /// <summary>SHA-256 of the instruction and the output.</summary>
    public required string AnswerHash { get; init; }

    /// <summary>See <see cref="JudgePrompts.Hash"/>.</summary>
    public required string PromptHash { get; init; }

    /// <summary>The judge as the cache knows it (see <see cref="JudgeIdentity"/>).</summary>
    public required string Judge { get; init; }

    /// <summary>The cache key: "ANSWER-HASH JUDGE PROMPT-HASH".</summary>
    public string Key => AnswerHash + " " + Judge + " " + PromptHash;

    /// <summary>
    /// The items of <paramref name="answers"/>: each needs an output (a record without one is an error naming its
    /// line); the mode follows <paramref name="settings"/>' aspect choice and the record's category.
    /// </summary>
    public static IReadOnlyList<JudgeItem> For(IReadOnlyList<InstructionRecord> answers, string answersPath, JudgeSettings settings, string judge)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(settings);
        var promptHashes = new Dictionary<JudgeMode, string>
        {
            [JudgeMode.Multi] = settings.Prompts.Hash(JudgeMode.Multi, settings.MaxNewTokens),
            [JudgeMode.Safety] = settings.Prompts.Hash(JudgeMode.Safety, settings.MaxNewTokens),
        };
        return [.. answers.Select(record =>
        {
            var output = record.Output ?? throw DataFormatException.At(answersPath, record.Line, "field \"output\" is missing: an answer set needs the answer to judge");
            var mode = Aspects.ModeOf(settings.AspectChoice, record.Category);
            return new JudgeItem
            {
                Record = record,
                Mode = mode,
                Output = output,
                AnswerHash = HashOf(record.Instruction, output),
                PromptHash = promptHashes[mode],
                Judge = judge,
            };
        })];
    }

    private static string HashOf(string instruction, string output)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(instruction + "\0" + output)));
}
