using System.Globalization;

namespace AlignLab.JustEval;

/// <summary>The summary's tables as plain text: a title, then columns padded to their widest cell (text left, numbers right).</summary>
public static class SummaryText
{
    /// <summary>Failed ids listed in a note; the JSON and the page list them all.</summary>
    private const int MaxIdsShown = 10;

    public static void Write(TextWriter writer, JudgeSummary summary)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(summary);
        var first = true;
        foreach (var table in SummaryTables.Build(summary))
        {
            if (!first)
            {
                writer.WriteLine();
            }
            first = false;
            WriteTable(writer, table);
        }
        foreach (var set in summary.Sets)
        {
            WriteNotes(writer, set, summary.HasTags);
        }
    }

    private static void WriteTable(TextWriter writer, SummaryTable table)
    {
        table = table with
        {
            Title = Printable(table.Title),
            Rows = [.. table.Rows.Select(r => (IReadOnlyList<string>)[.. r.Select(Printable)])],
            Columns = [.. table.Columns.Select(Printable)],
        };
        writer.WriteLine(table.Title);
        var widths = table.Columns.Select((c, i) => table.Rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        writer.WriteLine(Line(table.Columns, widths, table.Columns.Select(_ => false).ToArray()));
        foreach (var row in table.Rows)
        {
            writer.WriteLine(Line(row, widths, [.. row.Select((cell, i) => i > 0 && IsNumeric(cell))]));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths, bool[] right)
        => string.Join("  ", cells.Select((cell, i) => right[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();

    /// <summary>Text from the files (set names, groups) with control characters shown as U+FFFD, so it cannot move the cursor or recolour the terminal.</summary>
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '\uFFFD' : c));

    private static bool IsNumeric(string cell) => cell == SummaryTables.Missing || double.TryParse(cell.Split('–')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static void WriteNotes(TextWriter writer, SetSummary set, bool hasTags)
    {
        var notes = new List<string>();
        if (set.Failed > 0)
        {
            var ids = string.Join(", ", set.Failures.Take(MaxIdsShown).Select(f => f.Id.ToString())) + (set.Failed > MaxIdsShown ? ", …" : "");
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"failed judgments, left out of the means: {set.Failed} (ids {ids})"));
        }
        if (set.Uncategorized > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"answers without a category, judged as regular: {set.Uncategorized}"));
        }
        if (hasTags && set.Untagged > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"judged answers without tags, left out of the task, topic and difficulty breakdowns: {set.Untagged}"));
        }
        if (set.Usage.Requests > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"judge usage: {set.Usage.Requests} requests, {set.Usage.PromptTokens} prompt and {set.Usage.CompletionTokens} completion tokens"));
        }
        if (notes.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine(Printable(set.Name) + ":");
            foreach (var note in notes)
            {
                writer.WriteLine("  " + Printable(note));
            }
        }
    }
}
