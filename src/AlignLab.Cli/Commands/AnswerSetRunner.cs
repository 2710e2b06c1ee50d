using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Data;
using AlignLab.Runs;

namespace AlignLab.Cli.Commands;

/// <summary>The part of <c>alignlab urial</c> and <c>alignlab generate-set</c> after their prompt format is decided: read, open, run, report.</summary>
internal static class AnswerSetRunner
{
    /// <param name="formatSources">Where the format's files came from (prompt file, chat template), for run.json.</param>
    /// <param name="checkModel">Fails early, before run.json is written, when the model cannot be used in this format.</param>
    /// <param name="checkInstructions">Fails early, before the model is loaded, when the selected instructions cannot be answered in this format.</param>
    public static int Run(CliContext context, AnswerSetSettings settings, IAnswerFormat format, JsonObject formatSources, LocalModelOptions modelOptions,
        Action<ILanguageModel>? checkModel, CancellationToken cancel, Action<IReadOnlyList<InstructionRecord>>? checkInstructions = null)
    {
        // The data is read before the (slower) model load, so a bad file is reported at once.
        var bad = new BadRecordLog(settings.SkipBad);
        var records = InstructionReader.Read(settings.Data, bad);
        foreach (var warning in bad.Warnings)
        {
            context.Err.WriteLine("warning: skipped " + ErrorLine.EscapeControl(warning));
        }
        var selected = RunSelection.Select(records, settings.Shard, settings.Limit);
        checkInstructions?.Invoke(selected);
        using var model = LanguageModels.Open(settings.Model, modelOptions with { Threads = settings.Threads },
            new RemoteModelOptions { Tokenizer = settings.Tokenizer, Concurrency = settings.Concurrency });
        checkModel?.Invoke(model);
        var runOptions = new JsonObject
        {
            ["data"] = Path.GetFullPath(settings.Data),
            ["data_sha256"] = FileHash.Sha256OfFile(settings.Data),
            ["out"] = Path.GetFullPath(settings.Files.Answers),
            ["shard"] = settings.Shard.ToString(),
            ["limit"] = settings.Limit,
            ["skip_bad"] = settings.SkipBad,
            ["threads"] = settings.Threads,
            ["tokenizer"] = settings.Tokenizer,
            ["concurrency"] = settings.Concurrency,
        };
        foreach (var (key, value) in formatSources)
        {
            runOptions[key] = value?.DeepClone();
        }
        var job = new AnswerSetJob
        {
            Command = settings.Command,
            Model = model,
            ModelName = AnswerSetJob.DisplayName(settings.Model),
            Format = format,
            Instructions = selected,
            Options = settings.Options,
            Files = settings.Files,
            SamplesInAnswers = settings.SamplesInAnswers,
            RunOptions = runOptions,
            Concurrency = settings.Concurrency,
        };
        var summary = AnswerSetProgress.Run(context.Err, settings.Command, progress => AnswerSetRun.Execute(job, progress, cancel));
        Report(context, settings, summary);
        return CliApp.ExitOk;
    }

    private static void Report(CliContext context, AnswerSetSettings settings, AnswerSetSummary summary)
    {
        context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Command}: {summary.Instructions} instructions: {summary.Answered} answered now, {summary.AlreadyAnswered} before, {summary.Skipped.Count} skipped"));
        foreach (var skipped in summary.Skipped)
        {
            context.Err.WriteLine($"{settings.Command}: skipped id {skipped.Id}: {skipped.Reason}");
        }
        context.Out.WriteLine(settings.Files.Answers);
    }
}
