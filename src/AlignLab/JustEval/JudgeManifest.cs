using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.Runs;

namespace AlignLab.JustEval;

/// <summary>
/// The run.json of a judge run (<see cref="JudgeFiles.Manifest"/>): the judge, the answers file and its SHA-256, the
/// settings with each mode's prompt hash, the tool's version, timings, and the results with the token usage.
/// Written when the run starts and again when it ends (also when it ends early).
/// </summary>
internal static class JudgeManifest
{
    public static RunManifest Start(JudgeJob job, DateTimeOffset now)
    {
        var manifest = new RunManifest("judge", now);
        manifest.Models["judge"] = job.JudgeModel.ToJson();
        manifest.Options["answers"] = Path.GetFullPath(job.AnswersPath);
        manifest.Options["answers_sha256"] = FileHash.Sha256OfFile(job.AnswersPath);
        manifest.Options["out"] = Path.GetFullPath(job.Files.Output);
        manifest.Options["cache"] = Path.GetFullPath(job.Files.Cache);
        foreach (var (key, value) in job.Settings.Describe())
        {
            manifest.Options[key] = value?.DeepClone();
        }
        foreach (var (key, value) in job.RunOptions)
        {
            manifest.Options[key] = value?.DeepClone();
        }
        manifest.Timings["started"] = now.ToString("O", CultureInfo.InvariantCulture);
        manifest.Write(job.Files.Manifest);
        return manifest;
    }

    /// <summary>Records the results (<paramref name="error"/>: why the run ended early) and the end time, and writes the file again.</summary>
    public static void Finish(RunManifest manifest, JudgeJob job, JudgeRunResult result, string? error, DateTimeOffset started, DateTimeOffset now)
    {
        manifest.Timings["finished"] = now.ToString("O", CultureInfo.InvariantCulture);
        manifest.Timings["seconds"] = Math.Round((now - started).TotalSeconds, 3);
        manifest.Results["answers"] = result.Answers;
        manifest.Results["cached"] = result.Cached;
        manifest.Results["judged"] = result.Judged;
        manifest.Results["failed"] = result.Failures.Count;
        manifest.Results["pending"] = result.Pending;
        manifest.Results["usage"] = new JsonObject
        {
            ["requests"] = result.Usage.Requests,
            ["prompt_tokens"] = result.Usage.PromptTokens,
            ["completion_tokens"] = result.Usage.CompletionTokens,
        };
        manifest.Results["failures"] = new JsonArray([.. result.Failures.Select(f => new JsonObject { ["id"] = f.Id.ToJsonNode(), ["reason"] = f.Reason })]);
        manifest.Results["error"] = error;
        manifest.Write(job.Files.Manifest);
    }
}
