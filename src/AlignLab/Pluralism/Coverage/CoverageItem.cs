using System.Security.Cryptography;
using System.Text;
using AlignLab.Data;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// One question for the coverage judge: the task, whose answer it is about (the instruction, the sample set, the sample
/// for a stance), the texts shown, and the key its verdict is cached under — the task, the hash of the texts, the judge
/// and the prompt's hash — so the same question is never paid for twice, whichever run or file it comes from.
/// </summary>
public sealed record CoverageItem
{
    public required CoverageTask Task { get; init; }

    public required RecordId Id { get; init; }

    /// <summary>The instruction's id as sample sets index it (<see cref="RecordId.ToString"/>).</summary>
    public string InstructionId => Id.ToString();

    /// <summary>The sample set whose answer is judged: the alternative (missing, topics) or any set (stance).</summary>
    public required string Set { get; init; }

    /// <summary>The judged sample's index within its set's samples.</summary>
    public required int Sample { get; init; }

    public required string Instruction { get; init; }

    /// <summary>The reference answer shown as Answer A; null for a stance.</summary>
    public required string? Reference { get; init; }

    public required string Answer { get; init; }

    public required string Judge { get; init; }

    public required string PromptHash { get; init; }

    /// <summary>SHA-256 of the instruction and the answers shown.</summary>
    public string AnswerHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Instruction + "\0" + (Reference ?? "") + "\0" + Answer)));

    /// <summary>"TASK ANSWER-HASH JUDGE PROMPT-HASH".</summary>
    public string Key => CoverageTasks.Name(Task) + " " + AnswerHash + " " + Judge + " " + PromptHash;
}
