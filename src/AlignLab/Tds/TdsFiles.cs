namespace AlignLab.Tds;

/// <summary>The names of a TDS run folder's files (docs/TDS-SCHEMA.md).</summary>
public static class TdsFiles
{
    public const string Positions = "positions.jsonl";

    /// <summary>Examples left out, one JSON line each <c>{"id", "index", "reason"}</c>: kept so a resumed run does not retry them.</summary>
    public const string Skipped = "skipped.jsonl";

    public const string Summary = "summary.json";

    public const string PositionsCsv = "positions.csv";

    public const string ExamplesCsv = "examples.csv";
}
