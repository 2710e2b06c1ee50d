using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Data;

namespace AlignLab.AnswerSets;

/// <summary>One answer set to produce: a model, a way of prompting it, the instructions, and where the answers go.</summary>
public sealed record AnswerSetJob
{
    /// <summary>The command that runs the job ("urial", "generate-set"), as run.json names it.</summary>
    public required string Command { get; init; }

    public required ILanguageModel Model { get; init; }

    /// <summary>The model's name in the <c>generator</c> field (see <see cref="DisplayName"/>).</summary>
    public required string ModelName { get; init; }

    public required IAnswerFormat Format { get; init; }

    /// <summary>The instructions to answer, in order (shard and limit already applied).</summary>
    public required IReadOnlyList<InstructionRecord> Instructions { get; init; }

    public required AnswerSetOptions Options { get; init; }

    public required AnswerSetFiles Files { get; init; }

    /// <summary>
    /// Whether each answer line carries every sample (<c>"chosen"</c> and <c>"samples"</c> after the Just-Eval
    /// fields) instead of a separate samples file: for studies of the samples themselves (pluralism).
    /// </summary>
    public bool SamplesInAnswers { get; init; }

    /// <summary>
    /// Most instructions answered at once: 1 for a local model (which runs one thing at a time); for a served model
    /// up to its client's request limit. The answers and their order do not depend on it.
    /// </summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Options that do not change the answers (data file, shard, limit, threads), recorded in run.json as given.</summary>
    public JsonObject RunOptions { get; init; } = [];

    /// <summary>
    /// A model's name for the <c>generator</c> field: the last part of a hub id or path, without a .gguf
    /// extension ("meta-llama/Llama-2-7b-hf" gives "Llama-2-7b-hf", "models/mistral.Q8_0.gguf" gives "mistral.Q8_0").
    /// </summary>
    public static string DisplayName(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var name = Path.GetFileName(reference.TrimEnd('/', '\\'));
        return name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? name[..^".gguf".Length] : name;
    }
}
