using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Embeddings;
using AlignLab.JustEval;
using AlignLab.Pluralism.InContext;
using AlignLab.Runs;
using AlignLab.Urial;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>pluralism sample --icl VARIANT</c> for the variants beyond the plain URIAL prompt: reads the teacher, opens the
/// embedder and the summarizer with their caches beside the answers (FILE.embeddings.jsonl, FILE.summaries.jsonl or
/// <c>--summary-cache</c>), builds the format and runs the answer set.
/// </summary>
internal static class InContextRunner
{
    public const string EmbeddingsSuffix = ".embeddings.jsonl";
    public const string SummariesSuffix = ".summaries.jsonl";

    public static int Run(CliContext context, AnswerSetSettings settings, UrialPrompt prompt, InContextChoice choice, JsonObject sources, CancellationToken cancel)
    {
        var teacher = choice.Teacher is null ? null : TeacherAnswers.Read(choice.Teacher);
        var embeddingCachePath = Path.ChangeExtension(settings.Files.Answers, EmbeddingsSuffix);
        var summaryCachePath = choice.SummaryCache ?? Path.ChangeExtension(settings.Files.Answers, SummariesSuffix);
        CheckNotARunFile(settings, summaryCachePath);
        using var embedderModel = choice.UsesEmbedder ? Embedders.Open(choice.Embedder!, new EmbedderOptions { Threads = settings.Threads }) : null;
        using var embeddingCache = embedderModel is null ? null : JsonlCache.Open(embeddingCachePath);
        var embedder = embedderModel is null ? null : new CachedEmbedder(embedderModel.Embedder, embeddingCache!);
        using var summarizerModel = choice.Variant.Summary ? OpenSummarizer(choice.Summarizer!, settings.Threads) : null;
        using var summaryCache = summarizerModel is null ? null : JsonlCache.Open(summaryCachePath);
        var summaries = summarizerModel is null ? null : new CachedSummaries(new ChatSummarizer(summarizerModel, SummarizerName(summarizerModel)), summaryCache!);
        var format = CreateFormat(new InContextSettings
        {
            Variant = choice.Variant,
            Prompt = prompt,
            Teacher = teacher,
            K = choice.K,
            Selection = choice.Selection,
            Seed = settings.Options.Seed,
            Embedder = embedder,
            Summaries = summaries,
        }, settings.Command);
        sources["teacher"] = teacher is null ? null : Path.GetFullPath(teacher.Path);
        sources["embedding_cache"] = embedder is null ? null : Path.GetFullPath(embeddingCachePath);
        sources["summary_cache"] = summaries is null ? null : Path.GetFullPath(summaryCachePath);
        Action<IReadOnlyList<InstructionRecord>>? checkTargets = format is InContextAnswerFormat inContext ? inContext.InContextPrompt.CheckTargets : null;
        var code = AnswerSetRunner.Run(context, settings, format, sources, new LocalModelOptions(), checkModel: null, cancel, checkTargets);
        if (embedder is not null || summaries is not null)
        {
            context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{settings.Command}: {embedder?.Computed ?? 0} texts embedded and {summaries?.Computed ?? 0} answers summarized now (the rest from the caches)"));
        }
        return code;
    }

    /// <summary>A shared summary cache must not be one of the run's own files, or the two would write into each other.</summary>
    private static void CheckNotARunFile(AnswerSetSettings settings, string cachePath)
    {
        var full = Path.GetFullPath(cachePath);
        foreach (var file in new[] { settings.Files.Answers, settings.Files.Manifest, settings.Files.Samples, Path.ChangeExtension(settings.Files.Answers, EmbeddingsSuffix) })
        {
            if (string.Equals(full, Path.GetFullPath(file), StringComparison.Ordinal))
            {
                throw new UsageException($"{settings.Command}: --summary-cache {cachePath} is a file of the run itself: give the cache a name of its own");
            }
        }
    }

    private static IAnswerFormat CreateFormat(InContextSettings settings, string command)
    {
        try
        {
            return settings.CreateFormat();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{command}: {ErrorLine.MessageOf(e)}", e);
        }
    }

    /// <summary>Opens the summarizer; a local one must have a chat template (checked now, before any answer is written).</summary>
    private static ILanguageModel OpenSummarizer(string reference, int? threads)
    {
        var model = LanguageModels.Open(reference, new LocalModelOptions { Threads = threads });
        try
        {
            if (model is LocalLanguageModel)
            {
                model.RenderChat("", system: null);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>As cached judgments name their judge: a local model's file hash (so moving the files keeps the cache), a served model's reference.</summary>
    private static string SummarizerName(ILanguageModel model) => JudgeIdentity.Of(ModelFingerprint.Of(model.Reference, model.LocalPath));
}
