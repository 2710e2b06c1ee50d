using AlignLab.Engine.Formats;
using AlignLab.Runs;

namespace AlignLab.Tds;

/// <summary>
/// positions.csv (one row per answer position) and examples.csv (one row per example) from positions.jsonl,
/// for spreadsheets and pandas: the scalar fields only (no top-k lists); tags joined with ';'.
/// </summary>
public static class TablesWriter
{
    private static readonly string[] PositionColumns =
    [
        "id", "index", "category", "position", "token_id", "text", "class", "base_rank", "base_logprob", "aligned_logprob",
        "kl", "kl_reverse", "aligned_entropy", "base_entropy", "jaccard", "weighted_overlap", "kl_topk",
    ];

    private static readonly string[] ExampleColumns =
    [
        "id", "index", "category", "task_types", "topics", "difficulty", "positions", "unshifted", "marginal", "shifted",
        "unshifted_ratio", "marginal_ratio", "shifted_ratio", "mean_kl", "instruction", "answer",
    ];

    /// <summary>Writes both tables into <paramref name="folder"/>, each atomically, reading the examples twice.</summary>
    public static void Write(string folder, Func<IEnumerable<ExampleLine>> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        AtomicFile.Write(Path.Combine(folder, TdsFiles.PositionsCsv), stream => WritePositions(CsvWriter.Over(stream), examples()));
        AtomicFile.Write(Path.Combine(folder, TdsFiles.ExamplesCsv), stream => WriteExamples(CsvWriter.Over(stream), examples()));
    }

    private static void WritePositions(CsvWriter csv, IEnumerable<ExampleLine> examples)
    {
        csv.Fields(PositionColumns).EndLine();
        foreach (var e in examples)
        {
            for (var j = 0; j < e.Tokens.Count; j++)
            {
                var t = e.Tokens[j];
                csv.Field(e.Id.Text).Field(e.Index).Field(e.Category).Field(j).Field(t.Id).Field(t.Text).Field(ShiftClasses.Name(t.Class))
                    .Field(t.BaseRank).Field(t.BaseLogProb).Field(t.AlignedLogProb).Field(t.Kl).Field(t.KlReverse)
                    .Field(t.AlignedEntropy).Field(t.BaseEntropy).Field(t.Jaccard).Field(t.WeightedOverlap).Field(t.KlTopK)
                    .EndLine();
            }
        }
        csv.Flush();
    }

    private static void WriteExamples(CsvWriter csv, IEnumerable<ExampleLine> examples)
    {
        csv.Fields(ExampleColumns).EndLine();
        foreach (var e in examples)
        {
            var counts = new ClassCounts();
            var kl = new Mean();
            foreach (var t in e.Tokens)
            {
                counts.Add(t.Class);
                kl.Add(t.Kl);
            }
            csv.Field(e.Id.Text).Field(e.Index).Field(e.Category)
                .Field(e.Tags is null ? null : string.Join(';', e.Tags.TaskTypes))
                .Field(e.Tags is null ? null : string.Join(';', e.Tags.Topics))
                .Field(e.Tags?.Difficulty)
                .Field(counts.Positions).Field(counts[ShiftClass.Unshifted]).Field(counts[ShiftClass.Marginal]).Field(counts[ShiftClass.Shifted])
                .Field(counts.Ratio(ShiftClass.Unshifted)).Field(counts.Ratio(ShiftClass.Marginal)).Field(counts.Ratio(ShiftClass.Shifted))
                .Field(kl.Value).Field(e.Instruction).Field(e.Answer)
                .EndLine();
        }
        csv.Flush();
    }
}
