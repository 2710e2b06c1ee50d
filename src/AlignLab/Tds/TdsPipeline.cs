using System.Globalization;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Data;
using AlignLab.Runs;
using AlignLab.Tds.BasePrompts;

namespace AlignLab.Tds;

/// <summary>Opens a model for a run: the reference and how (the aligned models get the --chat-template).</summary>
public delegate ILanguageModel ModelOpener(string reference, LocalModelOptions options);

/// <summary>
/// <c>alignlab tds</c>: reads the instructions, checks that every aligned model shares the base's
/// vocabulary, then for each aligned model analyses every selected example not already finished
/// (<see cref="ExampleAnalyzer"/>), appending each outcome to positions.jsonl or skipped.jsonl as it
/// comes; at the end (also when cancelled) it recomputes summary.json and the tables, updates run.json
/// and has the report written. One aligned model writes into --out; several write into a subfolder each.
/// </summary>
public sealed class TdsPipeline(ModelOpener? openModel = null)
{
    private const int ShownWarnings = 5;

    /// <summary>Opens a model: the caller's opener, else <see cref="LanguageModels.Open"/> with a served model's local tokenizer and request limit.</summary>
    private ILanguageModel Open(string reference, LocalModelOptions local, string? tokenizer, int concurrency)
        => openModel is { } open ? open(reference, local)
            : LanguageModels.Open(reference, local, new RemoteModelOptions { Tokenizer = tokenizer, Concurrency = concurrency });

    public void Run(TdsRunOptions options, ITdsProgress progress, IRunReportWriter? report = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        options.Analysis.Validate();
        if (options.Aligned.Count == 0)
        {
            throw new ArgumentException("no aligned model given", nameof(options));
        }
        var basePrompt = BasePromptCatalog.Resolve(options.BasePrompt);
        var concurrency = options.EffectiveConcurrency;
        var started = DateTimeOffset.Now;
        var records = ReadRecords(options, progress);
        var names = AlignedNames.For(options.Aligned);
        var folders = options.Aligned.Count == 1 ? [options.Out] : names.Select(n => Path.Combine(options.Out, n)).ToList();
        var modelOptions = new LocalModelOptions { Threads = options.Threads };
        // The aligned answer is checked against the scoring pass's argmax (greedy repair), so decode as scoring computes.
        var alignedOptions = modelOptions with { ChatTemplatePath = options.ChatTemplate, DecodeLikeScoring = true };

        using var baseModel = Open(options.Base, modelOptions, options.BaseTokenizer, concurrency);
        var alignedPrints = CheckAligned(options, names, baseModel, alignedOptions, concurrency);
        using var folderLock = RunLock.Acquire(options.Out);
        var previous = RunManifest.ReadPrevious(options.Out);
        var manifest = TdsManifest.Create(options, Fingerprint(baseModel), alignedPrints, previous, started);
        TdsManifest.EnsureSameJob(previous, manifest, options.Out);
        manifest.Write(Path.Combine(options.Out, RunManifest.FileName));

        var work = new Dictionary<string, SessionWork>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < options.Aligned.Count; i++)
            {
                using var aligned = Open(options.Aligned[i], alignedOptions, options.AlignedTokenizer, concurrency);
                var session = new SessionWork();
                work[names[i]] = session;
                RunModel(names[i], folders[i], records, () => new ExampleAnalyzer(aligned, baseModel, basePrompt, options.Analysis), concurrency, session, progress, cancel);
                TdsResults.Write(folders[i], options.Seed);
            }
        }
        catch (OperationCanceledException)
        {
            // Finished examples are on disk; leave every folder's derived files consistent with them.
            foreach (var folder in folders.Where(f => File.Exists(Path.Combine(f, TdsFiles.Positions))))
            {
                TdsResults.Write(folder, options.Seed);
            }
            report?.Write(options.Out);
            throw;
        }
        finally
        {
            TdsManifest.AddSession(manifest, started, DateTimeOffset.Now, work);
            manifest.Write(Path.Combine(options.Out, RunManifest.FileName));
        }
        report?.Write(options.Out);
    }

    private static IReadOnlyList<InstructionRecord> ReadRecords(TdsRunOptions options, ITdsProgress progress)
    {
        var bad = new BadRecordLog(options.SkipBad);
        IReadOnlyList<InstructionRecord> records = InstructionReader.Read(options.Data, bad);
        if (options.Tags is not null)
        {
            records = TagTable.Read(options.Tags, bad).Apply(records);
        }
        foreach (var warning in bad.Warnings.Take(ShownWarnings))
        {
            progress.Message("skipped: " + warning);
        }
        if (bad.Count > ShownWarnings)
        {
            progress.Message(string.Create(CultureInfo.InvariantCulture, $"skipped {bad.Count} malformed records in all"));
        }
        return RunSelection.Select(records, options.Shard, options.Limit);
    }

    /// <summary>Opens each aligned model once before any work, so a vocabulary mismatch stops the run at once.</summary>
    private List<(string Name, ModelFingerprint Model)> CheckAligned(TdsRunOptions options, IReadOnlyList<string> names, ILanguageModel baseModel, LocalModelOptions alignedOptions, int concurrency)
    {
        var prints = new List<(string, ModelFingerprint)>();
        for (var i = 0; i < options.Aligned.Count; i++)
        {
            using var aligned = Open(options.Aligned[i], alignedOptions, options.AlignedTokenizer, concurrency);
            VocabularyCheck.EnsureSame(baseModel, "base " + options.Base, aligned, "aligned " + options.Aligned[i]);
            prints.Add((names[i], Fingerprint(aligned)));
        }
        return prints;
    }

    private static ModelFingerprint Fingerprint(ILanguageModel model) => ModelFingerprint.Of(model.Reference, model.LocalPath);

    /// <summary>
    /// Analyses the records not yet done, up to <paramref name="concurrency"/> at once (served models only: each record
    /// gets its own analyzer, whose phase times are added up here), appending the outcomes in record order.
    /// </summary>
    private static void RunModel(string name, string folder, IReadOnlyList<InstructionRecord> records, Func<ExampleAnalyzer> newAnalyzer, int concurrency,
        SessionWork session, ITdsProgress progress, CancellationToken cancel)
    {
        using var positions = JsonlLog.Open(Path.Combine(folder, TdsFiles.Positions), IdKey);
        using var skipped = JsonlLog.Open(Path.Combine(folder, TdsFiles.Skipped), IdKey);
        var todo = records.Where(r => !positions.Contains(r.Id.Key) && !skipped.Contains(r.Id.Key)).ToList();
        progress.ModelStarted(name, records.Count, records.Count - todo.Count);
        OrderedWork.Run(todo, concurrency, (record, token) =>
        {
            var analyzer = newAnalyzer();
            return (Outcome: analyzer.Analyze(record, token), analyzer.Times);
        }, (_, done) =>
        {
            session.Times.Add(done.Times);
            switch (done.Outcome)
            {
                case ExampleResult result:
                    positions.Append(PositionsWriter.Example(result));
                    session.Examples++;
                    session.AnswerTokens += result.Positions.Count;
                    progress.ExampleDone(result.Positions.Count);
                    break;
                case SkippedExample skip:
                    skipped.Append(PositionsWriter.Skipped(skip));
                    session.Skipped++;
                    progress.ExampleDone(0);
                    break;
            }
        }, cancel);
        progress.ModelFinished(name);
    }

    /// <summary>A results line's key: its id, by kind and text.</summary>
    private static string IdKey(System.Text.Json.JsonElement line)
        => (RecordId.FromJson(line.GetProperty("id")) ?? throw new FormatException("the id is neither a string nor a number")).Key;
}
