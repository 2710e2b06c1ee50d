using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.Runs;

namespace AlignLab.AnswerSets;

/// <summary>
/// The run.json of an answer set (<see cref="AnswerSetFiles.Manifest"/>): the model and its SHA-256, what
/// decides the answers (the format's description and the generation settings), the run's other options, the
/// seed, timings and results. A resumed run must decide answers the same way as the run that started the
/// file; anything else is refused, so one file never mixes two kinds of answers.
/// </summary>
internal static class AnswerSetManifest
{
    private const string ModelKey = "model";

    /// <summary>Checks a previous run, then writes the manifest of this one (before any answer is written).</summary>
    public static RunManifest Start(AnswerSetJob job, ModelFingerprint model, DateTimeOffset now)
    {
        var identity = Identity(job);
        var previous = RunManifest.ReadFile(job.Files.Manifest);
        if (previous is null)
        {
            if (File.Exists(job.Files.Answers) && new FileInfo(job.Files.Answers).Length > 0)
            {
                throw new InvalidOperationException(
                    $"{job.Files.Answers} exists but {job.Files.Manifest} does not, so the run that wrote it cannot be checked: use another --out, or delete the file to start over");
            }
        }
        else
        {
            CheckSameJob(job.Files, previous, identity, model);
        }
        var manifest = new RunManifest(job.Command, CreatedOf(previous) ?? now);
        manifest.Models[ModelKey] = model.ToJson();
        foreach (var (key, value) in identity)
        {
            manifest.Options[key] = value?.DeepClone();
        }
        foreach (var (key, value) in job.RunOptions)
        {
            manifest.Options[key] = value?.DeepClone();
        }
        manifest.Seed = job.Options.Seed;
        manifest.Timings["started"] = now.ToString("O", CultureInfo.InvariantCulture);
        manifest.Write(job.Files.Manifest);
        return manifest;
    }

    /// <summary>Records the results and the end time, and writes the manifest again.</summary>
    public static void Finish(RunManifest manifest, AnswerSetJob job, AnswerSetSummary summary, DateTimeOffset started, DateTimeOffset now)
    {
        manifest.Timings["finished"] = now.ToString("O", CultureInfo.InvariantCulture);
        manifest.Timings["seconds"] = Math.Round((now - started).TotalSeconds, 3);
        manifest.Results["instructions"] = summary.Instructions;
        manifest.Results["answered"] = summary.AlreadyAnswered + summary.Answered;
        manifest.Results["skipped"] = new JsonObject
        {
            ["count"] = summary.Skipped.Count,
            ["items"] = new JsonArray([.. summary.Skipped.Select(s => new JsonObject { ["id"] = s.Id.ToJsonNode(), ["reason"] = s.Reason })]),
        };
        if (job.Options.Samples > 1 && !job.SamplesInAnswers)
        {
            manifest.Results["samples_file"] = Path.GetFullPath(job.Files.Samples);
        }
        manifest.Write(job.Files.Manifest);
    }

    /// <summary>Everything that decides the answers, apart from the model.</summary>
    private static JsonObject Identity(AnswerSetJob job)
    {
        var identity = job.Format.Describe();
        foreach (var (key, value) in job.Options.Describe())
        {
            identity[key] = value?.DeepClone();
        }
        // Only when set, so manifests written before the option existed still match: a file whose lines carry
        // their samples must not be continued by a run that writes plain lines, or the other way round.
        if (job.SamplesInAnswers)
        {
            identity["samples_in_answers"] = true;
        }
        return identity;
    }

    private static void CheckSameJob(AnswerSetFiles files, JsonObject previous, JsonObject identity, ModelFingerprint model)
    {
        var sha = JsonValue.Create(model.Sha256);
        if (!JsonNode.DeepEquals(previous[ModelKey]?["sha256"], sha))
        {
            throw Mismatch(files, "the model's sha256", previous[ModelKey]?["sha256"], sha);
        }
        var options = previous["options"] as JsonObject;
        foreach (var (key, value) in identity)
        {
            if (!JsonNode.DeepEquals(options?[key], value))
            {
                throw Mismatch(files, key, options?[key], value);
            }
        }
    }

    private static InvalidOperationException Mismatch(AnswerSetFiles files, string what, JsonNode? before, JsonNode? now)
        => new($"{files.Manifest}: {files.Answers} was written with {what} {Show(before)}, not {Show(now)}: use another --out, or delete both files to start over");

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";

    private static DateTimeOffset? CreatedOf(JsonObject? previous)
        => previous?["created"] is JsonValue created && created.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
}
