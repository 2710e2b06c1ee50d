using System.CommandLine;
using System.Globalization;
using AlignLab.Backends.Remote;
using AlignLab.Embeddings;
using AlignLab.JustEval;
using AlignLab.Pluralism;
using AlignLab.Pluralism.Coverage;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab pluralism measure --ref FILE --alt FILE... --out DIR [--embedder MODEL] [--judge MODEL] [options]</c>:
/// the diversity of each set's samples; with an embedder, each alternative's similarity to the reference (cosine and
/// BERTScore); with a judge, information coverage, topics and stances (see <see cref="PluralismMeasureRun"/>).
/// </summary>
internal static class PluralismMeasureCommand
{
    private const string Name = PluralismMeasureCliSettings.Name;

    public static Command Build(CliContext context)
    {
        var reference = new Option<string>("--ref") { HelpName = "FILE", Description = "The reference (aligned) samples: 'pluralism sample' output or a Just-Eval answer set." };
        var alternatives = new Option<string[]>("--alt") { HelpName = "FILE", AllowMultipleArgumentsPerToken = true, Description = "Alternative sample sets, compared with the reference (named after their files)." };
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "Writes instructions.jsonl, summary.json and report.html there." };
        var embedder = new Option<string?>("--embedder") { HelpName = "MODEL", Description = "A local model whose last layer's mean-pooled hidden states embed the samples (embedding cosine, similarity to the reference) and whose token vectors give BERTScore, or an OpenAI-compatible embeddings endpoint http(s)://HOST:PORT/v1#MODEL (no BERTScore: it gives no token vectors)." };
        var bertScoreLayer = new Option<int?>("--bertscore-layer") { HelpName = "L", Description = "The embedder's layer whose token vectors BERTScore matches (default: two thirds of the way up)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads a local embedder's or judge's forward pass uses (default: all cores)." };
        var judge = new Option<string?>("--judge") { HelpName = "MODEL", Description = "The coverage judge: http(s)://HOST:PORT/v1#MODEL, or a local model. Asks how much of each alternative's information the reference lacks, and which topics each covers." };
        var stanceData = new Option<string?>("--stance-data") { HelpName = "FILE", Description = "Records with the \"id\" of each contentious yes/no question: every sample's stance (yes/no/both/other) is judged." };
        var maxTokens = new Option<int>("--judge-max-tokens") { HelpName = "N", DefaultValueFactory = _ => 1024, Description = "Most tokens of one judge reply." };
        var concurrency = new Option<int>("--concurrency") { HelpName = "N", DefaultValueFactory = _ => 4, Description = "Requests to the judge at once." };
        var maxRequests = new Option<int?>("--max-requests") { HelpName = "N", Description = "Send the judge at most N requests (retries included); questions left over stay pending for the next run." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print how many judge requests and roughly how many tokens the run would send; send nothing, write nothing." };
        var cache = new Option<string?>("--cache") { HelpName = "FILE", Description = "The judge's verdict cache (default: judge-cache.jsonl in --out): the same question to the same judge is asked once." };
        var apiKey = new Option<string>("--api-key-env") { HelpName = "NAME", DefaultValueFactory = _ => "OPENAI_API_KEY", Description = "The environment variable whose value is sent to a served judge or embedder as its API key (when set)." };
        var command = new Command("measure", "Diversity of each model's samples, similarity of alternatives to the reference answers, and information coverage by a judge: per-instruction JSONL, a summary with bootstrap intervals, and an HTML page.")
        {
            reference, alternatives, output, embedder, bertScoreLayer, threads, judge, stanceData, maxTokens, concurrency, maxRequests, dryRun, cache, apiKey,
        };
        command.SetAction((parse, cancel) => RunAsync(context, PluralismMeasureCliSettings.Create(parse.GetValue(reference), parse.GetValue(alternatives) ?? [],
            parse.GetValue(output), parse.GetValue(embedder), parse.GetValue(bertScoreLayer), parse.GetValue(threads), parse.GetValue(judge), parse.GetValue(stanceData),
            parse.GetValue(maxTokens), parse.GetValue(concurrency), parse.GetValue(maxRequests), parse.GetValue(dryRun), parse.GetValue(cache), parse.GetValue(apiKey)), cancel));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, PluralismMeasureCliSettings settings, CancellationToken cancel)
    {
        // Every file is read before any model is opened, so a bad file is reported at once.
        var reference = SampleSet.Read(settings.Reference);
        var alternatives = settings.Alternatives.Select(SampleSet.Read).ToList();
        var stanceIds = settings.StanceData is { } stancePath ? StanceData.Read(stancePath, reference) : new HashSet<string>();
        CoverageSettings? coverage = settings.Judge is { } judgeReference ? new CoverageSettings
        {
            Judge = JudgeIdentity.Of(JudgeModels.FingerprintWithoutLoading(judgeReference)),
            CachePath = settings.Cache,
            MaxNewTokens = settings.JudgeMaxTokens,
            Concurrency = settings.Concurrency,
            MaxRequests = settings.MaxRequests,
            StanceIds = stanceIds,
        } : null;
        if (settings.DryRun)
        {
            var items = CoveragePlan.Items(reference, alternatives, coverage!);
            context.Out.WriteLine($"{Name} --dry-run: " + CoverageEstimate.Describe(items, CoverageRun.CachedKeys(items, coverage!.CachePath), coverage));
            return CliApp.ExitOk;
        }
        try
        {
            using var opened = settings.Embedder is null ? null : Embedders.Open(settings.Embedder, new EmbedderOptions
            {
                Threads = settings.Threads,
                TokenLayer = settings.BertScoreLayer,
                Remote = new RemoteModelOptions { ApiKey = ServedApiKey.Read(context, settings.Embedder, settings.ApiKeyVariable) },
            });
            using var judge = settings.Judge is null ? null : JudgeModels.Open(context, settings.Judge, settings.ApiKeyVariable, settings.Threads, settings.Concurrency);
            var embedder = opened?.Embedder;
            var job = new MeasureJob
            {
                Reference = reference,
                Alternatives = alternatives,
                OutputDirectory = settings.Output,
                Embedder = embedder,
                // An embedder without token vectors (a served one) leaves BERTScore out, with a note in the summary.
                TokenEmbedder = embedder as ITokenEmbedder,
                Coverage = judge is null ? null : new CoverageJudgeJob(judge, coverage!),
            };
            var result = judge is null
                ? await PluralismMeasureRun.ExecuteAsync(job, cancel: cancel).ConfigureAwait(false)
                : await JudgeProgress.RunAsync(context.Err, progress => PluralismMeasureRun.ExecuteAsync(job, progress, cancel)).ConfigureAwait(false);
            Report(context, result);
        }
        catch (ArgumentException e) when (e.ParamName is null or "tokenLayer" or "options")
        {
            throw new UsageException($"{Name}: {ErrorLine.MessageOf(e)}", e);
        }
        context.Out.WriteLine(Path.Combine(settings.Output, PluralismMeasureRun.SummaryFile));
        return CliApp.ExitOk;
    }

    private static void Report(CliContext context, CoverageRunResult? result)
    {
        if (result is null)
        {
            return;
        }
        context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {result.Items} judge questions: {result.Judged} answered now, {result.Cached} before, {result.Failures.Count} failed, {result.Pending} pending; "
            + $"{result.Usage.Requests} requests, {result.Usage.PromptTokens} prompt and {result.Usage.CompletionTokens} completion tokens"));
        foreach (var failure in result.Failures)
        {
            context.Err.WriteLine($"{Name}: id {ErrorLine.EscapeControl(failure.Item.InstructionId)} {ErrorLine.EscapeControl(failure.Item.Set)} {CoverageTasks.Name(failure.Item.Task)} failed: {ErrorLine.EscapeControl(failure.Reason)}");
        }
        if (result.Pending > 0)
        {
            context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name}: {result.Pending} judge questions pending (the request cap was reached): rerun to ask them"));
        }
    }
}
