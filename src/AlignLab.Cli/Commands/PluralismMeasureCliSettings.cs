using System.Globalization;

namespace AlignLab.Cli.Commands;

/// <summary>The <c>alignlab pluralism measure</c> command line, checked.</summary>
internal sealed record PluralismMeasureCliSettings(
    string Reference, IReadOnlyList<string> Alternatives, string Output, string? Embedder, int? BertScoreLayer, int? Threads,
    string? Judge, string? StanceData, int JudgeMaxTokens, int Concurrency, int? MaxRequests, bool DryRun, string Cache, string ApiKeyVariable)
{
    public const string Name = "pluralism measure";

    /// <summary>The coverage judge's verdict cache when --cache is not given: in the output folder, so reruns into it reuse it.</summary>
    public const string DefaultCacheName = "judge-cache.jsonl";

    public static PluralismMeasureCliSettings Create(string? reference, string[] alternatives, string? output, string? embedder, int? bertScoreLayer, int? threads,
        string? judge, string? stanceData, int judgeMaxTokens, int concurrency, int? maxRequests, bool dryRun, string? cache, string? apiKeyVariable)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new UsageException($"{Name}: --ref is required (the reference samples)");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException($"{Name}: --out is required (a folder)");
        }
        if (bertScoreLayer is not null && embedder is null)
        {
            throw new UsageException($"{Name}: --bertscore-layer needs --embedder (the model whose token vectors it takes)");
        }
        if (judge is null)
        {
            foreach (var (option, given) in new[] { ("--stance-data", stanceData is not null), ("--max-requests", maxRequests is not null), ("--dry-run", dryRun), ("--cache", cache is not null) })
            {
                if (given)
                {
                    throw new UsageException($"{Name}: {option} needs --judge (the coverage judge)");
                }
            }
        }
        if (judgeMaxTokens is < 1 or > 1_000_000)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{Name}: --judge-max-tokens {judgeMaxTokens} must be within 1 to 1000000"));
        }
        if (concurrency is < 1 or > 256)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{Name}: --concurrency {concurrency} must be within 1 to 256"));
        }
        if (maxRequests is < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{Name}: --max-requests {maxRequests} must be ≥ 0"));
        }
        if (string.IsNullOrWhiteSpace(apiKeyVariable))
        {
            throw new UsageException($"{Name}: --api-key-env is empty");
        }
        return new PluralismMeasureCliSettings(reference, alternatives, output, embedder, bertScoreLayer, ThreadCount.Check(threads, Name), judge, stanceData,
            judgeMaxTokens, concurrency, maxRequests, dryRun, cache ?? Path.Combine(output, DefaultCacheName), apiKeyVariable);
    }
}
