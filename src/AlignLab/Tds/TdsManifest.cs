using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.Data;
using AlignLab.Runs;

namespace AlignLab.Tds;

/// <summary>
/// run.json of a TDS run (docs/TDS-SCHEMA.md): the models with their hashes, every option, the seed and
/// timings summed over all sessions of the run. A folder holding an earlier run is only resumed by the
/// same job: same models, data and every option that shapes positions.jsonl (--shard, --limit, --seed,
/// --threads and --skip-bad may change).
/// </summary>
public static class TdsManifest
{
    /// <summary>Options that change what an example's line holds; a resumed run must keep them.</summary>
    private static readonly string[] FixedOptions =
        ["data_sha256", "tags_sha256", "system", "chat_template_sha256", "max_new_tokens", "top_k", "marginal_max", "use_outputs", "base_prompt"];

    public static RunManifest Create(TdsRunOptions options, ModelFingerprint baseModel, IReadOnlyList<(string Name, ModelFingerprint Model)> aligned,
        JsonObject? previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var created = previous?["created"] is JsonValue c && DateTimeOffset.TryParse((string?)c, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : now;
        var manifest = new RunManifest("tds", created) { Seed = options.Seed };
        manifest.Models["base"] = baseModel.ToJson();
        manifest.Models["aligned"] = new JsonArray([.. aligned.Select(a => a.Model.ToJson(a.Name))]);
        var o = manifest.Options;
        o["base"] = options.Base;
        o["aligned"] = new JsonArray([.. options.Aligned.Select(a => JsonValue.Create(a))]);
        o["data"] = Path.GetFullPath(options.Data);
        o["data_sha256"] = FileHash.Sha256(options.Data);
        o["out"] = Path.GetFullPath(options.Out);
        o["tags"] = options.Tags is null ? null : Path.GetFullPath(options.Tags);
        o["tags_sha256"] = options.Tags is null ? null : FileHash.Sha256(options.Tags);
        o["system"] = options.Analysis.System;
        o["chat_template"] = options.ChatTemplate is null ? null : Path.GetFullPath(options.ChatTemplate);
        o["chat_template_sha256"] = options.ChatTemplate is null ? null : FileHash.Sha256(options.ChatTemplate);
        o["max_new_tokens"] = options.Analysis.MaxNewTokens;
        o["top_k"] = options.Analysis.TopK;
        o["marginal_max"] = options.Analysis.MarginalMax;
        o["use_outputs"] = options.Analysis.UseOutputs;
        o["base_prompt"] = options.BasePrompt;
        o["base_tokenizer"] = options.BaseTokenizer;
        o["aligned_tokenizer"] = options.AlignedTokenizer;
        o["base_prompt_sha256"] = BasePrompts.BasePromptCatalog.Resolve(options.BasePrompt).Sha256;
        o["skip_bad"] = options.SkipBad;
        o["shard"] = options.Shard.ToString();
        o["limit"] = options.Limit;
        o["seed"] = options.Seed;
        o["threads"] = options.Threads;
        if (previous?["timings"] is JsonObject timings)
        {
            foreach (var (key, value) in timings)
            {
                manifest.Timings[key] = value?.DeepClone();
            }
        }
        return manifest;
    }

    /// <summary>Throws unless <paramref name="previous"/> (the folder's run.json) describes the same job as <paramref name="current"/>.</summary>
    public static void EnsureSameJob(JsonObject? previous, RunManifest current, string folder)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is not null)
        {
            EnsureSameJob(previous, current.ToJson(), Path.Combine(folder, RunManifest.FileName), "rerun with the same models, data and options to resume it, or choose another --out");
        }
    }

    /// <summary>Throws, naming <paramref name="where"/> and the first difference, unless both run.json files describe the same job.</summary>
    public static void EnsureSameJob(JsonObject previous, JsonObject now, string where, string advice)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(now);
        if ((string?)previous["command"] != "tds")
        {
            throw new DataFormatException($"{where}: not a run of alignlab tds; {advice}");
        }
        Compare(where, "base model", previous["base"]?["sha256"], now["base"]?["sha256"], advice);
        Compare(where, "aligned models", Names(previous["aligned"]), Names(now["aligned"]), advice);
        foreach (var key in FixedOptions)
        {
            Compare(where, key.Replace('_', '-'), previous["options"]?[key], now["options"]?[key], advice);
        }
    }

    /// <summary>Adds this session's seconds and counts to the run's totals (per aligned model, and overall).</summary>
    public static void AddSession(RunManifest manifest, DateTimeOffset started, DateTimeOffset finished, IReadOnlyDictionary<string, SessionWork> work)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(work);
        var t = manifest.Timings;
        t["sessions"] = ((int?)t["sessions"] ?? 0) + 1;
        t["total_seconds"] = ((double?)t["total_seconds"] ?? 0) + (finished - started).TotalSeconds;
        t["last_started"] = started.ToString("O", CultureInfo.InvariantCulture);
        t["last_finished"] = finished.ToString("O", CultureInfo.InvariantCulture);
        var byModel = t["by_model"] as JsonObject ?? [];
        foreach (var (name, w) in work)
        {
            var m = byModel[name] as JsonObject ?? [];
            Add(m, "examples", w.Examples);
            Add(m, "skipped", w.Skipped);
            Add(m, "answer_tokens", w.AnswerTokens);
            Add(m, "greedy_repairs", w.Times.GreedyRepairs);
            Add(m, "generation_seconds", w.Times.GenerationSeconds);
            Add(m, "aligned_scoring_seconds", w.Times.AlignedScoringSeconds);
            Add(m, "base_scoring_seconds", w.Times.BaseScoringSeconds);
            byModel[name] = m;
        }
        t["by_model"] = byModel;
    }

    private static void Add(JsonObject json, string key, double value) => json[key] = ((double?)json[key] ?? 0) + value;

    /// <summary>Timings of several runs' run.json added up (sessions, seconds, per-model counts), as a merge reports them.</summary>
    public static JsonObject SumTimings(IEnumerable<JsonObject> timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        var sum = new JsonObject();
        var byModel = new JsonObject();
        foreach (var t in timings)
        {
            Add(sum, "sessions", (double?)t["sessions"] ?? 0);
            Add(sum, "total_seconds", (double?)t["total_seconds"] ?? 0);
            foreach (var (name, model) in t["by_model"] as JsonObject ?? [])
            {
                var m = byModel[name] as JsonObject ?? [];
                foreach (var (key, value) in model as JsonObject ?? [])
                {
                    Add(m, key, (double?)value ?? 0);
                }
                byModel[name] = m;
            }
        }
        sum["by_model"] = byModel;
        return sum;
    }

    private static string Names(JsonNode? aligned)
        => aligned is JsonArray list ? string.Join(", ", list.Select(a => $"{(string?)a?["name"]} ({(string?)a?["sha256"]})")) : "";

    private static void Compare(string where, string what, JsonNode? before, JsonNode? now, string advice)
    {
        var (a, b) = (Show(before), Show(now));
        if (a != b)
        {
            throw new DataFormatException($"{where}: a run with {what} {a}, not {b}; {advice}");
        }
    }

    private static string Show(JsonNode? node) => node switch
    {
        null => "(none)",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
