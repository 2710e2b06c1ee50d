using System.Text.Json;

namespace AlignLab.Reports;

/// <summary>Writes a <see cref="TdsSummary"/> as the page's compact, fixed-shape summary object (classes as [unshifted, marginal, shifted] arrays).</summary>
internal static class SummaryJsonWriter
{
    public static void Write(Utf8JsonWriter json, TdsSummary summary)
    {
        json.WriteStartObject();
        WriteStats(json, summary.Total);
        json.WriteStartArray("groups");
        foreach (var group in summary.Groups)
        {
            json.WriteStartObject();
            json.WriteString("kind", group.Kind);
            json.WriteString("name", group.Name);
            WriteStats(json, group.Stats);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteBins(json, "absolute", summary.ByAbsolutePosition);
        WriteBins(json, "relative", summary.ByRelativePosition);
        if (summary.TopShifted is { } top)
        {
            json.WriteNumber("top_min_count", top.MinCount);
            WriteShiftedTokens(json, "top_by_count", top.ByCount);
            WriteShiftedTokens(json, "top_by_rate", top.ByRate);
        }
        json.WriteStartArray("rank_histogram");
        foreach (var bin in summary.BaseRankHistogram)
        {
            json.WriteStartObject();
            json.WriteString("label", bin.Label);
            json.WriteNumber("count", bin.Count);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteBoolean("kl_top_k_only", summary.KlTopKOnly);
        json.WriteStartArray("kl_by_position");
        foreach (var bin in summary.MeanKlByPosition)
        {
            json.WriteStartObject();
            json.WriteString("label", bin.Label);
            json.WriteNumber("positions", bin.Positions);
            WriteNumberOrNull(json, "kl", bin.MeanKl);
            WriteNumberOrNull(json, "kl_reverse", bin.MeanKlReverse);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("metrics");
        foreach (var (name, value) in summary.Metrics)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            WriteNumberOrNull(json, null, value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteNumber("skipped_count", summary.SkippedCount);
        json.WriteStartArray("skipped");
        foreach (var skipped in summary.Skipped)
        {
            json.WriteStartObject();
            json.WriteString("id", skipped.Id);
            json.WriteString("reason", skipped.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (summary.Organism is { } organism)
        {
            WriteOrganism(json, organism);
        }
        json.WriteEndObject();
    }

    private static void WriteOrganism(Utf8JsonWriter json, OrganismStats organism)
    {
        json.WriteStartObject("organism");
        WriteTriple(json, "style", organism.Style.All.Select(c => (double)c));
        WriteTriple(json, "knowledge", organism.Knowledge.All.Select(c => (double)c));
        WriteNumberOrNull(json, "precision", organism.Precision);
        WriteNumberOrNull(json, "recall", organism.Recall);
        WriteNumberOrNull(json, "style_share", organism.StyleShare);
        json.WriteNumber("unlabelled", organism.Unlabelled);
        json.WriteEndObject();
    }

    private static void WriteStats(Utf8JsonWriter json, ClassStats stats)
    {
        if (stats.Examples is { } examples)
        {
            json.WriteNumber("examples", examples);
        }
        json.WriteNumber("positions", stats.Positions);
        WriteTriple(json, "counts", stats.Counts.All.Select(c => (double)c));
        WriteTriple(json, "ratios", stats.Ratios.All);
        if (stats.Ci95 is { } ci)
        {
            json.WriteStartArray("ci");
            foreach (var interval in ci.All)
            {
                json.WriteStartArray();
                json.WriteNumberValue(interval.Low);
                json.WriteNumberValue(interval.High);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
    }

    private static void WriteBins(Utf8JsonWriter json, string name, IReadOnlyList<PositionBin> bins)
    {
        json.WriteStartArray(name);
        foreach (var bin in bins)
        {
            json.WriteStartObject();
            json.WriteString("label", bin.Label);
            WriteStats(json, bin.Stats);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteShiftedTokens(Utf8JsonWriter json, string name, IReadOnlyList<ShiftedToken> tokens)
    {
        json.WriteStartArray(name);
        foreach (var token in tokens)
        {
            json.WriteStartObject();
            json.WriteString("token", token.Token);
            json.WriteNumber("id", token.Id);
            json.WriteNumber("shifted", token.Shifted);
            json.WriteNumber("total", token.Total);
            json.WriteNumber("rate", token.Rate);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteTriple(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string? name, double? value)
    {
        if (name is not null)
        {
            json.WritePropertyName(name);
        }
        if (value is { } v)
        {
            json.WriteNumberValue(v);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
