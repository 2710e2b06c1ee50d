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
/// </summary>
public static class AnswerSetRun
{
    public static AnswerSetSummary Execute(AnswerSetJob job, IAnswerSetProgress? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Options.Validate();
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
        for (var i = 0; i < job.Instructions.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var record = job.Instructions[i];
            if (answers.Contains(keys[i]))
            {
                continue;
            }
            if (chosenBefore.TryGetValue(keys[i], out var output))
            {
                answers.Append(AnswerLines.Answer(record, output, generator));
            }
            else
            {
                var prompt = job.Format.Prompt(job.Model, record);
                if (prompt.Count + job.Options.MaxNewTokens > job.Model.ContextLength)
                {
                    skipped.Add(new SkippedInstruction(record.Id, string.Create(CultureInfo.InvariantCulture,
                        $"the prompt's {prompt.Count} tokens and {job.Options.MaxNewTokens} new tokens exceed the context of {job.Model.ContextLength}")));
                    progress?.Advanced(record.Id, skipped: true);
                    continue;
                }
                answers.Append(Answer(job, record, prompt, samples, generator, cancel));
            }
            answered++;
            progress?.Advanced(record.Id, skipped: false);
        }

        var summary = new AnswerSetSummary(job.Instructions.Count, alreadyAnswered, answered, skipped);
        AnswerSetManifest.Finish(manifest, job, summary, started, DateTimeOffset.UtcNow);
        return summary;
    }

    /// <summary>
    /// The answer line of one instruction: one sample, or the one <see cref="SampleChoice"/> keeps of several (all of
    /// them written to the samples file, or into the answer line itself). Every draw comes from a generator seeded by the run's seed and the
    /// instruction's position in the data file, so it does not depend on what else the run did.
    /// </summary>
    private static byte[] Answer(AnswerSetJob job, InstructionRecord record, IReadOnlyList<int> prompt, JsonlLog? samplesLog, string generator,
        CancellationToken cancel)
    {
        var random = new SamplingRandom(unchecked(job.Options.Seed ^ ((ulong)record.Index * 0x9E3779B97F4A7C15UL)));
        var samples = new AnswerSample[job.Options.Samples];
        for (var s = 0; s < samples.Length; s++)
        {
            samples[s] = Sample(job, prompt, random.NextUInt64(), cancel);
        }
        if (job.SamplesInAnswers)
        {
            var (kept, judged) = SampleChoice.Choose(samples, random);
            return AnswerLines.AnswerWithSamples(record, samples, judged, kept, generator);
        }
        if (samplesLog is null)
        {
            return AnswerLines.Answer(record, samples[0].Text, generator);
        }
        var (chosen, verdicts) = SampleChoice.Choose(samples, random);
        samplesLog.Append(AnswerLines.Samples(record, samples, verdicts, chosen));
        return AnswerLines.Answer(record, samples[chosen].Text, generator);
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
