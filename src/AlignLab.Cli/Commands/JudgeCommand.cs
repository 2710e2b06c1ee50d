using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Data;
using AlignLab.Engine.Models;
using AlignLab.JustEval;
using AlignLab.Runs;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab judge --answers FILE --judge MODEL --out FILE.jsonl [options]</c>: Just-Eval's multi-aspect scoring of
/// an answer set by a judge model (see <see cref="JudgeRun"/>), and <c>alignlab judge summarize FILE...</c>
/// (<see cref="JudgeSummarizeCommand"/>). The judgments file's path goes to stdout; progress and the run's report to stderr.
/// </summary>
internal static class JudgeCommand
{
    public static Command Build(CliContext context)
    {
        var answers = new Option<string?>("--answers") { HelpName = "FILE", Description = "The answer set: Just-Eval records (id, instruction, output, generator, category), a JSON array or JSON Lines, as generate-set and urial write them." };
        var judge = new Option<string?>("--judge") { HelpName = "MODEL", Description = "The judge: http(s)://HOST:PORT/v1#MODEL (OpenAI, vLLM, alignlab serve; the key from $OPENAI_API_KEY), or a local GGUF file, model folder or cached hub id." };
        var output = new Option<string?>("--out") { HelpName = "FILE.jsonl", Description = "The judgments, one line per answer; FILE.run.json goes beside it. Rerun the same command to resume: judged answers cost nothing." };
        var aspects = new Option<string>("--aspects") { HelpName = "multi|safety|auto", DefaultValueFactory = _ => "auto", Description = "multi: helpfulness, clarity, factuality, depth, engagement; safety: safety; auto: by each answer's category (none: regular)." };
        var prompt = new Option<string?>("--judge-prompt") { HelpName = "FILE", Description = "Your judge prompt instead of ours: the user message, with {{instruction}} and {{answer}}, and {{aspects}} or {{format}} for the aspects to score." };
        var maxTokens = new Option<int>("--judge-max-tokens") { HelpName = "N", DefaultValueFactory = _ => 1024, Description = "Most tokens of one judge reply." };
        var concurrency = new Option<int>("--concurrency") { HelpName = "N", DefaultValueFactory = _ => 4, Description = "Requests to the judge at once." };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "Judge at most the first N answers." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print how many requests and roughly how many tokens the run would send; send nothing, write nothing." };
        var maxRequests = new Option<int?>("--max-requests") { HelpName = "N", Description = "Send at most N requests (retries included); answers left over stay pending for the next run." };
        var cache = new Option<string?>("--cache") { HelpName = "FILE", Description = "The judgment cache (default: judge-cache.jsonl beside --out), shared by runs: the same answer, judge and prompt are judged once." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads a local judge's forward pass uses (default: all cores)." };
        var apiKey = new Option<string>("--api-key-env") { HelpName = "NAME", DefaultValueFactory = _ => "OPENAI_API_KEY", Description = "The environment variable whose value is sent to a served judge as its API key (when set)." };
        var command = new Command("judge", "Just-Eval: score an answer set with a judge model on helpfulness, clarity, factuality, depth and engagement (regular) or safety, with reasons.")
        {
            answers, judge, output, aspects, prompt, maxTokens, concurrency, limit, dryRun, maxRequests, cache, threads, apiKey,
        };
        command.Subcommands.Add(JudgeSummarizeCommand.Build(context));
        command.SetAction((parse, cancel) => RunAsync(context, JudgeCliSettings.Create(parse.GetValue(answers), parse.GetValue(judge), parse.GetValue(output),
            parse.GetValue(aspects)!, parse.GetValue(prompt), parse.GetValue(maxTokens), parse.GetValue(concurrency), parse.GetValue(limit),
            parse.GetValue(maxRequests), parse.GetValue(dryRun), parse.GetValue(cache), parse.GetValue(threads), parse.GetValue(apiKey)), cancel));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, JudgeCliSettings settings, CancellationToken cancel)
    {
        // The answers and the prompt are read before the judge is opened, so a bad file is reported at once.
        var records = RunSelection.Select(InstructionReader.Read(settings.Answers, new BadRecordLog(skipBad: false)), Shard.All, settings.Limit);
        var prompts = settings.PromptFile is { } file ? JudgePrompts.FromFile(file, settings.Aspects) : JudgePrompts.BuiltIn;
        var judgeSettings = new JudgeSettings
        {
            AspectChoice = settings.Aspects,
            Prompts = prompts,
            MaxNewTokens = settings.MaxNewTokens,
            Concurrency = settings.Concurrency,
            MaxRequests = settings.MaxRequests,
        };
        if (settings.DryRun)
        {
            var items = JudgeItem.For(records, settings.Answers, judgeSettings, JudgeIdentity.Of(FingerprintWithoutLoading(settings.Judge)));
            var estimate = JudgeEstimate.For(items, JudgmentCache.FindKeys(settings.Files.Cache, items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal)), judgeSettings);
            context.Out.WriteLine("judge --dry-run: " + estimate.Describe());
            return CliApp.ExitOk;
        }
        using var model = OpenJudge(context, settings);
        var fingerprint = ModelFingerprint.Of(settings.Judge, model.LocalPath);
        var job = new JudgeJob
        {
            Judge = model,
            JudgeModel = fingerprint,
            AnswersPath = settings.Answers,
            Items = JudgeItem.For(records, settings.Answers, judgeSettings, JudgeIdentity.Of(fingerprint)),
            Settings = judgeSettings,
            Files = settings.Files,
            RunOptions = new JsonObject { ["limit"] = settings.Limit, ["threads"] = settings.Threads },
        };
        var result = await JudgeProgress.RunAsync(context.Err, progress => JudgeRun.ExecuteAsync(job, progress, cancel)).ConfigureAwait(false);
        Report(context, result);
        context.Out.WriteLine(settings.Files.Output);
        return CliApp.ExitOk;
    }

    /// <summary>
    /// The judge, ready to chat: a served one with the API key (a warning when it would travel unencrypted to another
    /// machine) and the run's concurrency; a local one must have a chat template, checked now rather than per answer.
    /// </summary>
    private static ILanguageModel OpenJudge(CliContext context, JudgeCliSettings settings)
    {
        var model = LanguageModels.Open(settings.Judge,
            new LocalModelOptions { Threads = settings.Threads },
            new RemoteModelOptions { ApiKey = ServedApiKey.Read(context, settings.Judge, settings.ApiKeyVariable), Concurrency = settings.Concurrency });
        try
        {
            if (!LanguageModels.IsRemote(settings.Judge))
            {
                model.RenderChat("", null);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>What identifies the judge for the cache, without loading weights or contacting a server.</summary>
    private static ModelFingerprint FingerprintWithoutLoading(string judge)
    {
        if (LanguageModels.IsRemote(judge))
        {
            return new ModelFingerprint(judge, null, null);
        }
        using var files = LocalModel.Open(judge);
        return ModelFingerprint.Of(judge, files.Path);
    }

    private static void Report(CliContext context, JudgeRunResult result)
    {
        context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"judge: {result.Answers} answers: {result.Judged} judged now, {result.Cached} before, {result.Failures.Count} failed, {result.Pending} pending; "
            + $"{result.Usage.Requests} requests, {result.Usage.PromptTokens} prompt and {result.Usage.CompletionTokens} completion tokens"));
        foreach (var failure in result.Failures)
        {
            context.Err.WriteLine($"judge: id {ErrorLine.EscapeControl(failure.Id.ToString())} failed: {ErrorLine.EscapeControl(failure.Reason)}");
        }
        if (result.Pending > 0)
        {
            context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"judge: {result.Pending} answers pending (the request cap was reached): rerun to judge them"));
        }
    }
}
