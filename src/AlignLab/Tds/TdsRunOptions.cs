using AlignLab.Backends;
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

    /// <summary>
    /// Most examples analysed at once, and requests in flight to each server; only when the base and every aligned
    /// model are served (local models run one example at a time). Null: <see cref="DefaultConcurrency"/> for served
    /// models. The results and their order do not depend on it.
    /// </summary>
    public int? Concurrency { get; init; }

    /// <summary>Examples analysed at once when the base and every aligned model are served and no concurrency is given.</summary>
    public const int DefaultConcurrency = 4;

    /// <summary>Whether the base and every aligned model are behind servers (so examples can be analysed concurrently).</summary>
    public bool AllServed => LanguageModels.IsRemote(Base) && Aligned.All(LanguageModels.IsRemote);

    /// <summary>
    /// The examples analysed at once: <see cref="Concurrency"/> (or <see cref="DefaultConcurrency"/>) when every model
    /// is served, else 1; an <see cref="ArgumentOutOfRangeException"/> for a concurrency above 1 with a local model,
    /// or one outside 1 to 1024.
    /// </summary>
    public int EffectiveConcurrency => Concurrency switch
    {
        null => AllServed ? DefaultConcurrency : 1,
        < 1 or > 1024 => throw new ArgumentOutOfRangeException(nameof(Concurrency), $"concurrency {Concurrency} must be within 1 to 1024"),
        > 1 when !AllServed => throw new ArgumentOutOfRangeException(nameof(Concurrency),
            $"concurrency {Concurrency} needs the base and every aligned model served (http(s)://HOST:PORT/v1#MODEL); local models analyse one example at a time"),
        _ => Concurrency.Value,
    };
}
