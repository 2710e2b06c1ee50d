using AlignLab.Data;
namespace AlignLab.Reports;

/// <summary>One aligned model's result files in a run directory, and its display name.</summary>
internal sealed record AlignedModelFiles(string Name, ModelInfo? Info, string PositionsPath, string SummaryPath);

/// <summary>
/// Finds the aligned models of a run directory (docs/TDS-SCHEMA.md, "Layout"): DIR/positions.jsonl means one
/// model; otherwise each immediate subfolder holding a positions.jsonl is one, in run.json's order
/// (then by name), named after its folder.
/// </summary>
internal static class RunLayout
{
    public const string PositionsFile = "positions.jsonl";

    public static IReadOnlyList<AlignedModelFiles> Detect(string directory, RunInfo run)
    {
        if (File.Exists(Path.Combine(directory, PositionsFile)))
        {
            var info = run.Aligned.Count > 0 ? run.Aligned[0] : null;
            return [Files(info?.Name ?? info?.Reference ?? "aligned", info, directory)];
        }
        var order = run.Aligned.Select((m, i) => (m.Name, i)).Where(m => m.Name is not null).GroupBy(m => m.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var models = Directory.EnumerateDirectories(directory)
            .Where(folder => File.Exists(Path.Combine(folder, PositionsFile)))
            .Select(folder => Path.GetFileName(folder))
            .OrderBy(name => order.GetValueOrDefault(name, int.MaxValue))
            .ThenBy(name => name, StringComparer.Ordinal)
            .Select(name => Files(name, order.TryGetValue(name, out var i) ? run.Aligned[i] : null, Path.Combine(directory, name)))
            .ToList();
        return models.Count > 0
            ? models
            : throw new DataFormatException($"{directory}: not a TDS run directory: no {PositionsFile} in it or in any folder directly under it");
    }

    private static AlignedModelFiles Files(string name, ModelInfo? info, string folder)
        => new(name, info, Path.Combine(folder, PositionsFile), Path.Combine(folder, TdsSummary.FileName));
}
