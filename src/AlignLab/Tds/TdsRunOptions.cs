using AlignLab.Runs;

namespace AlignLab.Tds;

/// <summary>Everything <c>alignlab tds</c> is asked to do.</summary>
public sealed record TdsRunOptions
{
    public required string Base { get; init; }

    /// <summary>One or more aligned models, each compared with the base.</summary>
    public required IReadOnlyList<string> Aligned { get; init; }

    public required string Data { get; init; }

    public required string Out { get; init; }

    public string? Tags { get; init; }

    /// <summary>Replaces the aligned models' chat template.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>For a served base model: a local model reference whose tokenizer is used instead of the server's.</summary>
    public string? BaseTokenizer { get; init; }

    /// <summary>For served aligned models: a local model reference whose tokenizer is used instead of the servers'.</summary>
    public string? AlignedTokenizer { get; init; }

    public TdsAnalysisOptions Analysis { get; init; } = new();

    /// <summary>plain, chat, a URIAL prompt name or a URIAL prompt file (see <see cref="BasePrompts.BasePromptCatalog"/>).</summary>
    public string BasePrompt { get; init; } = "plain";

    public bool SkipBad { get; init; }

    public Shard Shard { get; init; } = Shard.All;

    public int? Limit { get; init; }

    /// <summary>Seed of the bootstrap intervals.</summary>
    public ulong Seed { get; init; }

    public int? Threads { get; init; }
}
