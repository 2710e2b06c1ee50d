using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Data;
using AlignLab.Runs;

namespace AlignLab.Tds;

/// <summary>
/// <c>alignlab tds merge DIR... --out DIR</c>: joins the run folders of shards (or of any disjoint runs of
/// the same job) into one: positions.jsonl and skipped.jsonl in record order, then summary.json and the
/// tables recomputed, a run.json listing the inputs, and the report. Every input must be the same job
/// (models, data, options); a record found in two inputs is an error naming both lines.
/// </summary>
public static class TdsMerge
{
    private static readonly JsonSerializerOptions ManifestFormat = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Run(IReadOnlyList<string> inputs, string output, IRunReportWriter? report = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("no run folders to merge", nameof(inputs));
        }
        var outFull = Path.GetFullPath(output);
        if (inputs.Any(i => string.Equals(Path.GetFullPath(i), outFull, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{output}: the merged folder cannot be one of the inputs", nameof(output));
        }
        var manifests = inputs.Select(Manifest).ToList();
        for (var i = 1; i < inputs.Count; i++)
        {
            TdsManifest.EnsureSameJob(manifests[0], manifests[i], Path.Combine(inputs[i], RunManifest.FileName),
                $"only runs of the same job can be merged (compare with {Path.Combine(inputs[0], RunManifest.FileName)})");
        }
        var models = ModelFolders(inputs);
        using var folderLock = RunLock.Acquire(output);
        foreach (var model in models)
        {
            var target = model.Length == 0 ? output : Path.Combine(output, model);
            MergeFolder([.. inputs.Select(i => model.Length == 0 ? i : Path.Combine(i, model))], target);
            TdsResults.Write(target, (ulong?)manifests[0]["seed"] ?? 0);
        }
        AtomicFile.WriteAllText(Path.Combine(output, RunManifest.FileName), MergedManifest(inputs, manifests, outFull).ToJsonString(ManifestFormat) + "\n");
        report?.Write(output);
    }

    private static JsonObject Manifest(string folder)
        => RunManifest.ReadPrevious(folder) ?? throw new DataFormatException($"{Path.Combine(folder, RunManifest.FileName)}: missing; is {folder} a tds run folder?");

    /// <summary>"" for single-model runs; otherwise the model subfolders (union over the inputs). All inputs must have the same layout.</summary>
    private static IReadOnlyList<string> ModelFolders(IReadOnlyList<string> inputs)
    {
        var single = inputs.Select(i => File.Exists(Path.Combine(i, TdsFiles.Positions))).ToList();
        if (single.Distinct().Count() > 1)
        {
            throw new DataFormatException($"{inputs[single.IndexOf(false)]}: a run with several aligned models cannot be merged with {inputs[single.IndexOf(true)]}, a run with one");
        }
        if (single[0])
        {
            return [""];
        }
        return [.. inputs.SelectMany(i => Directory.Exists(i) ? Directory.EnumerateDirectories(i) : [])
            .Where(d => File.Exists(Path.Combine(d, TdsFiles.Positions)))
            .Select(d => Path.GetFileName(d)!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static void MergeFolder(IReadOnlyList<string> folders, string target)
    {
        var positions = OrderedLines.Locate(folders.Select(f => Path.Combine(f, TdsFiles.Positions)).Where(File.Exists));
        var skipped = OrderedLines.Locate(folders.Select(f => Path.Combine(f, TdsFiles.Skipped)).Where(File.Exists));
        var done = positions.Locations.ToDictionary(l => l.Index);
        foreach (var s in skipped.Locations)
        {
            if (done.TryGetValue(s.Index, out var p))
            {
                throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"{DataFormatException.Where(s.Path, s.Line)}: record index {s.Index} is skipped here but analysed at {DataFormatException.Where(p.Path, p.Line)}"));
            }
        }
        AtomicFile.Write(Path.Combine(target, TdsFiles.Positions), positions.CopyTo);
        AtomicFile.Write(Path.Combine(target, TdsFiles.Skipped), skipped.CopyTo);
    }

    private static JsonObject MergedManifest(IReadOnlyList<string> inputs, IReadOnlyList<JsonObject> manifests, string output)
    {
        var merged = (JsonObject)manifests[0].DeepClone();
        merged["created"] = DateTimeOffset.Now.ToString("O", CultureInfo.InvariantCulture);
        merged["version"] = RunManifest.ToolVersion;
        if (merged["options"] is JsonObject options)
        {
            options["out"] = output;
            options["shard"] = new JsonArray([.. manifests.Select(m => m["options"]?["shard"]?.DeepClone())]);
            options["limit"] = new JsonArray([.. manifests.Select(m => m["options"]?["limit"]?.DeepClone())]);
        }
        merged["merged_from"] = new JsonArray([.. inputs.Select(i => JsonValue.Create(Path.GetFullPath(i)))]);
        merged["timings"] = TdsManifest.SumTimings(manifests.Select(m => m["timings"] as JsonObject ?? []));
        return merged;
    }
}
