using System.Text.Json.Nodes;
using AlignLab.Pluralism;

namespace AlignLab.Reports;

/// <summary>What the pluralism page shows: the run's summary and per-instruction lines (as written to summary.json and instructions.jsonl) and the sample sets, for the texts.</summary>
public sealed record PluralismReportData(JsonObject Summary, IReadOnlyList<JsonObject> Instructions, IReadOnlyList<SampleSet> Sets);
