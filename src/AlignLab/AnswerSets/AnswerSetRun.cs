using System.Globalization;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Engine.Generation;
using AlignLab.Runs;

namespace AlignLab.AnswerSets;

/// <summary>
/// Produces an answer set: every instruction answered by the model in the job's format, one Just-Eval line
/// appended (and flushed) per instruction, so a run killed at any point resumes where it stopped — a torn
/// last line is dropped (<see cref="JsonlLog"/>) and answered instructions are skipped. An instruction whose
/// prompt leaves less room than the answer's token limit in the model's context is skipped and reported.
/// With several samples per instruction, every sample goes to the samples file first, then the chosen one
/// to the answers (a run killed in between takes the choice from the samples file). With
/// <see cref="AnswerSetJob.SamplesInAnswers"/>, the answer line itself carries every sample and there is no samples file.
/// With <see cref="AnswerSetJob.Concurrency"/> N &gt; 1 (a served model), up to N instructions are answered at once, their
/// lines still appended in instruction order, so the files are the same as with one at a time.
/// </summary>
public static class AnswerSetRun
{
    public static AnswerSetSummary Execute(AnswerSetJob job, IAnswerSetProgress? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Options.Validate();
        if (job.Concurrency < 1 || (job.Concurrency > 1 && !LanguageModels.IsRemote(job.Model.Reference)))
        {
            throw new ArgumentOutOfRangeException(nameof(job), string.Create(CultureInfo.InvariantCulture,
                $"concurrency {job.Concurrency}: must be 1 for a local model ({job.Model.Reference}) and at least 1 for a served one"));
        }
        var started = DateTimeOffset.UtcNow;
        var model = ModelFingerprint.Of(job.Model.Reference, job.Model.LocalPath);
        var manifest = AnswerSetManifest.Start(job, model, started);
        using var answers = JsonlLog.Open(job.Files.Answers, AnswerLines.KeyOf);
        using var samples = job.Options.Samples > 1 && !job.SamplesInAnswers ? JsonlLog.Open(job.Files.Samples, AnswerLines.KeyOf) : null;
        var keys = job.Instructions.Select(AnswerLines.KeyOf).ToList();
        var alreadyAnswered = keys.Count(answers.Contains);
        var chosenBefore = samples is null
            ? []
            : AnswerLines.ChosenOutputs(job.Files.Samples, keys.Where(k => samples.Contains(k) && !answers.Contains(k)).ToHashSet(StringComparer.Ordinal));
        progress?.Started(job.Instructions.Count, alreadyAnswered);

        var generator = job.Format.GeneratorName(job.ModelName);
        var skipped = new List<SkippedInstruction>();
        var answered = 0;
        // An id that occurs twice is answered once, as its first record.
        var todo = job.Instructions.Where(r => !answers.Contains(AnswerLines.KeyOf(r))).DistinctBy(AnswerLines.KeyOf).ToList();
        // Prompts are made as the items are taken, on this thread, one at a time: a format may hold state (an
        // embedder's cache, a summarizer); only the generation runs concurrently.
        var items = todo.Select(record => chosenBefore.TryGetValue(AnswerLines.KeyOf(record), out var output)
            ? new Pending(record, output, null)
            : new Pending(record, null, job.Format.Prompt(job.Model, record)));
        OrderedWork.Run(items, job.Concurrency, (item, token) => item.ChosenBefore is { } output
            ? new Outcome(null, AnswerLines.Answer(item.Record, output, generator), null)
            : Compute(job, item.Record, item.Prompt!, generator, withSamplesLine: samples is not null, token),
            (item, outcome) =>
            {
                var record = item.Record;
                if (outcome.Skipped is { } reason)
                {
                    skipped.Add(new SkippedInstruction(record.Id, reason));
                    progress?.Advanced(record.Id, skipped: true);
                    return;
                }
                if (outcome.SamplesLine is { } samplesLine)
                {
                    samples!.Append(samplesLine);
                }
                answers.Append(outcome.AnswerLine!);
                answered++;
                progress?.Advanced(record.Id, skipped: false);
            }, cancel);

        var summary = new AnswerSetSummary(job.Instructions.Count, alreadyAnswered, answered, skipped);
        AnswerSetManifest.Finish(manifest, job, summary, started, DateTimeOffset.UtcNow);
        return summary;
    }

    /// <summary>An instruction to answer: its output chosen by an interrupted run, or its prompt.</summary>
    private sealed record Pending(InstructionRecord Record, string? ChosenBefore, IReadOnlyList<int>? Prompt);

    /// <summary>What one instruction gave: the lines to append (the samples line first), or why it was skipped.</summary>
    private sealed record Outcome(byte[]? SamplesLine, byte[]? AnswerLine, string? Skipped);

    /// <summary>
    /// The lines of one instruction: one sample, or the one <see cref="SampleChoice"/> keeps of several (all of
    /// them in a samples line, or in the answer line itself). Every draw comes from a generator seeded by the run's seed and the
    /// instruction's position in the data file, so it does not depend on what else the run did, or in which order.
    /// </summary>
    private static Outcome Compute(AnswerSetJob job, InstructionRecord record, IReadOnlyList<int> prompt, string generator, bool withSamplesLine, CancellationToken cancel)
    {
        if (prompt.Count + job.Options.MaxNewTokens > job.Model.ContextLength)
        {
            return new Outcome(null, null, string.Create(CultureInfo.InvariantCulture,
                $"the prompt's {prompt.Count} tokens and {job.Options.MaxNewTokens} new tokens exceed the context of {job.Model.ContextLength}"));
        }
        var random = new SamplingRandom(unchecked(job.Options.Seed ^ ((ulong)record.Index * 0x9E3779B97F4A7C15UL)));
        var samples = new AnswerSample[job.Options.Samples];
        for (var s = 0; s < samples.Length; s++)
        {
            samples[s] = Sample(job, prompt, random.NextUInt64(), cancel);
        }
        if (job.SamplesInAnswers)
        {
            var (kept, judged) = SampleChoice.Choose(samples, random);
            return new Outcome(null, AnswerLines.AnswerWithSamples(record, samples, judged, kept, generator), null);
        }
        if (!withSamplesLine)
        {
            return new Outcome(null, AnswerLines.Answer(record, samples[0].Text, generator), null);
        }
        var (chosen, verdicts) = SampleChoice.Choose(samples, random);
        return new Outcome(AnswerLines.Samples(record, samples, verdicts, chosen), AnswerLines.Answer(record, samples[chosen].Text, generator), null);
    }

    private static AnswerSample Sample(AnswerSetJob job, IReadOnlyList<int> prompt, ulong seed, CancellationToken cancel)
    {
        var reader = job.Format.StartAnswer();
        var request = new AnswerRequest
        {
            MaxNewTokens = job.Options.MaxNewTokens,
            Sampling = job.Options.Sampling with { Seed = seed },
            StopAfter = reader is null ? null : reader.Push,
        };
        var answer = job.Model.Generate(prompt, request, cancel);
        if (reader is null)
        {
            return new AnswerSample(job.Format.Clean(answer.Text), answer.End, answer.Tokens.Count);
        }
        // The reader may still find its stop in the text it held back until the end (a closing fence on the last line).
        var raw = reader.Finish();
        return new AnswerSample(job.Format.Clean(raw), reader.Stopped ? AnswerEnd.Stopped : answer.End, answer.Tokens.Count);
    }
}
