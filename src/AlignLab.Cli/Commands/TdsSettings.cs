using AlignLab.Runs;
using AlignLab.Tds;
using AlignLab.Tds.BasePrompts;

namespace AlignLab.Cli.Commands;

/// <summary>What <c>alignlab tds</c> was asked to do, validated (usage errors name the option).</summary>
internal static class TdsSettings
{
    public static TdsRunOptions Create(string? baseModel, string[] aligned, string? data, string? output, string? tags, string? system, string? chatTemplate,
        int maxNewTokens, int topK, int marginalMax, bool useOutputs, string basePrompt, bool skipBad, string? shard, int? limit, ulong seed, int? threads)
    {
        Require(baseModel, "--base MODEL");
        if (aligned.Length == 0 || aligned.Any(string.IsNullOrWhiteSpace))
        {
            throw new UsageException("tds: --aligned MODEL is required (repeat it to compare several aligned models)");
        }
        Require(data, "--data FILE");
        Require(output, "--out DIR");
        if (maxNewTokens < 1)
        {
            throw new UsageException($"tds: --max-new-tokens {maxNewTokens} must be ≥ 1");
        }
        if (topK < 1)
        {
            throw new UsageException($"tds: --top-k {topK} must be ≥ 1");
        }
        if (marginalMax < 1)
        {
            throw new UsageException($"tds: --marginal-max {marginalMax} must be ≥ 1 (1: no marginal class)");
        }
        if (!BasePromptCatalog.Names.Contains(basePrompt) && !File.Exists(basePrompt))
        {
            throw new UsageException($"tds: --base-prompt \"{basePrompt}\" is neither an existing URIAL prompt file nor one of {string.Join(", ", BasePromptCatalog.Names)}");
        }
        if (limit is < 1)
        {
            throw new UsageException($"tds: --limit {limit} must be ≥ 1");
        }
        return new TdsRunOptions
        {
            Base = baseModel!,
            Aligned = aligned,
            Data = data!,
            Out = output!,
            Tags = tags,
            ChatTemplate = chatTemplate,
            Analysis = new TdsAnalysisOptions { MaxNewTokens = maxNewTokens, TopK = topK, MarginalMax = marginalMax, UseOutputs = useOutputs, System = system },
            BasePrompt = basePrompt,
            SkipBad = skipBad,
            Shard = ParseShard(shard),
            Limit = limit,
            Seed = seed,
            Threads = ThreadCount.Check(threads, "tds"),
        };
    }

    /// <summary><paramref name="options"/> with --concurrency, which needs every model served (a usage error otherwise).</summary>
    public static TdsRunOptions WithConcurrency(TdsRunOptions options, int? concurrency)
    {
        var result = options with { Concurrency = concurrency };
        try
        {
            _ = result.EffectiveConcurrency;
            return result;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException("tds: --concurrency: " + ErrorLine.MessageOf(e), e);
        }
    }

    private static Shard ParseShard(string? text)
    {
        try
        {
            return text is null ? Shard.All : Shard.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException("tds: --shard: " + e.Message, e);
        }
    }

    private static void Require(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UsageException($"tds: {what} is required");
        }
    }
}
