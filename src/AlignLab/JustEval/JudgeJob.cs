using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Runs;

namespace AlignLab.JustEval;

/// <summary>Everything a judge run needs: the judge, the answers as items, how to judge, and where the files go.</summary>
public sealed record JudgeJob
{
    public required ILanguageModel Judge { get; init; }

    /// <summary>The judge as run.json records it.</summary>
    public required ModelFingerprint JudgeModel { get; init; }

    /// <summary>The answers file, for run.json and for answers without a generator (named after the file).</summary>
    public required string AnswersPath { get; init; }

    public required IReadOnlyList<JudgeItem> Items { get; init; }

    public required JudgeSettings Settings { get; init; }

    public required JudgeFiles Files { get; init; }

    /// <summary>More of the command's options for run.json (limit, threads, ...).</summary>
    public JsonObject RunOptions { get; init; } = [];
}
