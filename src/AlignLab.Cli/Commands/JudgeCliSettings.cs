using System.Globalization;
using AlignLab.JustEval;

namespace AlignLab.Cli.Commands;

/// <summary>The <c>alignlab judge</c> command line, checked.</summary>
internal sealed record JudgeCliSettings(
    string Answers, string Judge, JudgeFiles Files, AspectChoice Aspects, string? PromptFile, int MaxNewTokens, int Concurrency, int? Limit,
    int? MaxRequests, bool DryRun, int? Threads, string ApiKeyVariable)
{
    public static JudgeCliSettings Create(string? answers, string? judge, string? output, string aspects, string? promptFile, int maxNewTokens,
        int concurrency, int? limit, int? maxRequests, bool dryRun, string? cache, int? threads, string? apiKeyVariable)
    {
        if (string.IsNullOrWhiteSpace(answers))
        {
            throw new UsageException("judge: --answers is required (an answer set: Just-Eval JSON or JSON Lines with instruction and output)");
        }
        if (string.IsNullOrWhiteSpace(judge))
        {
            throw new UsageException("judge: --judge is required (http(s)://HOST:PORT/v1#MODEL, or a local GGUF file, model folder or cached hub id)");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException("judge: --out is required (FILE.jsonl)");
        }
        var choice = aspects switch
        {
            "multi" => AspectChoice.Multi,
            "safety" => AspectChoice.Safety,
            "auto" => AspectChoice.Auto,
            _ => throw new UsageException($"judge: --aspects is \"{aspects}\", expected multi, safety or auto"),
        };
        if (maxNewTokens is < 1 or > 1_000_000)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"judge: --judge-max-tokens {maxNewTokens} must be within 1 to 1000000"));
        }
        if (concurrency is < 1 or > 256)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"judge: --concurrency {concurrency} must be within 1 to 256"));
        }
        if (limit is < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"judge: --limit {limit} must be ≥ 0"));
        }
        if (maxRequests is < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"judge: --max-requests {maxRequests} must be ≥ 0"));
        }
        if (string.IsNullOrWhiteSpace(apiKeyVariable))
        {
            throw new UsageException("judge: --api-key-env is empty");
        }
        try
        {
            var files = new JudgeFiles(output, cache);
            files.CheckNotInput(answers);
            return new JudgeCliSettings(answers, judge, files, choice, promptFile, maxNewTokens, concurrency, limit, maxRequests, dryRun,
                ThreadCount.Check(threads, "judge"), apiKeyVariable);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("judge: " + ErrorLine.MessageOf(e), e);
        }
    }
}
