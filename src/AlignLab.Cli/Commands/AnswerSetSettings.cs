using System.Globalization;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Generation;
using AlignLab.Runs;

namespace AlignLab.Cli.Commands;

/// <summary>What <c>alignlab urial</c> and <c>alignlab generate-set</c> share, validated.</summary>
internal sealed record AnswerSetSettings(
    string Command, string Model, string Data, AnswerSetFiles Files, AnswerSetOptions Options, int? Threads, int? Limit, Shard Shard, bool SkipBad)
{
    /// <summary>Every answer line carries all its samples (see <see cref="AnswerSetJob.SamplesInAnswers"/>).</summary>
    public bool SamplesInAnswers { get; init; }

    /// <summary>For a served model: a local model whose tokenizer (and chat template) stands in for the server's.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>Instructions answered at once: 1 for a local model; for a served one the --concurrency given, default 4.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// These settings with --tokenizer and --concurrency, which only a served model takes: given with a local model
    /// they are a usage error (a local model has its own tokenizer and runs one instruction at a time).
    /// </summary>
    public AnswerSetSettings ForServedModel(string? tokenizer, int? concurrency)
    {
        if (!LanguageModels.IsRemote(Model))
        {
            if (tokenizer is not null || concurrency is not null)
            {
                throw new UsageException($"{Command}: {(tokenizer is not null ? "--tokenizer" : "--concurrency")} is for a served --model (http(s)://HOST:PORT/v1#NAME); a local model uses its own tokenizer and answers one instruction at a time");
            }
            return this;
        }
        if (tokenizer is { } t && string.IsNullOrWhiteSpace(t))
        {
            throw new UsageException($"{Command}: --tokenizer is empty");
        }
        if (concurrency is < 1 or > 1024)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{Command}: --concurrency {concurrency} must be within 1 to 1024"));
        }
        return this with { Tokenizer = tokenizer, Concurrency = concurrency ?? new RemoteModelOptions().Concurrency };
    }

    public static AnswerSetSettings Create(string command, string? model, string? data, string? output, int maxNewTokens, SamplingOptions sampling,
        int samples, ulong seed, int? threads, int? limit, string? shard, bool skipBad)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException($"{command}: --model is required");
        }
        if (string.IsNullOrWhiteSpace(data))
        {
            throw new UsageException($"{command}: --data is required (a JSON array or JSON Lines file of instructions)");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException($"{command}: --out is required (FILE.jsonl)");
        }
        if (limit is < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{command}: --limit {limit} must be ≥ 0"));
        }
        var options = new AnswerSetOptions { MaxNewTokens = maxNewTokens, Sampling = sampling, Samples = samples, Seed = seed };
        try
        {
            options.Validate();
            return new AnswerSetSettings(command, model, data, new AnswerSetFiles(output), options, ThreadCount.Check(threads, command), limit,
                shard is null ? Shard.All : Shard.Parse(shard), skipBad);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UsageException($"{command}: {OptionName(e)}{ErrorLine.MessageOf(e)}", e);
        }
    }

    /// <summary>"--max-new-tokens: " and the like for the settings whose message does not name the option.</summary>
    private static string OptionName(Exception e) => (e as ArgumentException)?.ParamName switch
    {
        nameof(AnswerSetOptions.MaxNewTokens) => "--max-new-tokens: ",
        nameof(AnswerSetOptions.Samples) => "--samples: ",
        _ => "",
    };
}
