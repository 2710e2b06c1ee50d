using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Runs;

namespace AlignLab.Tds;

/// <summary>
/// The files derived from a folder's positions.jsonl and skipped.jsonl: summary.json, positions.csv and
/// examples.csv, recomputed from scratch (in record order) at the end of every run and merge.
/// </summary>
public static class TdsResults
{
    private static readonly JsonSerializerOptions SummaryFormat = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string folder, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var examples = OrderedLines.Locate(Existing(Path.Combine(folder, TdsFiles.Positions)));
        var skipped = OrderedLines.Locate(Existing(Path.Combine(folder, TdsFiles.Skipped)));
        IEnumerable<ExampleLine> Examples() => examples.Read().Select(l => ExampleLine.Parse(l.Json, l.Location.Path, l.Location.Line));

        var summary = new SummaryBuilder(seed);
        foreach (var example in Examples())
        {
            summary.Add(example);
        }
        foreach (var (location, json) in skipped.Read())
        {
            summary.AddSkipped(SkippedLine.Parse(json, location.Path, location.Line));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, TdsFiles.Summary), summary.Build().ToJsonString(SummaryFormat) + "\n");
        TablesWriter.Write(folder, Examples);
    }

    private static IEnumerable<string> Existing(string path) => File.Exists(path) ? [path] : [];
}
