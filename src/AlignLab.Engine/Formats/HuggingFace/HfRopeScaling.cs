using AlignLab.Engine.Models;

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>The <c>rope_scaling</c> object of config.json: one parser per supported <c>rope_type</c>.</summary>
internal static class HfRopeScaling
{
    private static readonly Dictionary<string, Func<JsonFields, RopeScaling>> Parsers = new(StringComparer.Ordinal)
    {
        ["default"] = _ => RopeScaling.None,
        ["linear"] = s => new RopeScaling(RopeScalingKind.Linear, Factor: Required(s, "factor")),
        ["llama3"] = s => new RopeScaling(
            RopeScalingKind.Llama3,
            Factor: Required(s, "factor"),
            LowFreqFactor: Required(s, "low_freq_factor"),
            HighFreqFactor: Required(s, "high_freq_factor"),
            OriginalContextLength: s.Int("original_max_position_embeddings")
                ?? throw ModelFormatException.In(s.File, s.FieldPath("original_max_position_embeddings"), "missing")),
    };

    public static RopeScaling Parse(JsonFields scaling)
    {
        // Older configs say "type"; transformers now writes "rope_type".
        var field = scaling.Has("rope_type") ? "rope_type" : "type";
        var type = scaling.String(field)
            ?? throw ModelFormatException.In(scaling.File, scaling.FieldPath("rope_type"), "missing");
        return Parsers.TryGetValue(type, out var parse)
            ? parse(scaling)
            : throw ModelFormatException.In(scaling.File, scaling.FieldPath(field),
                $"unsupported RoPE scaling \"{type}\" (supported: {string.Join(", ", Parsers.Keys)})");
    }

    private static double Required(JsonFields s, string field)
        => s.Double(field) ?? throw ModelFormatException.In(s.File, s.FieldPath(field), "missing");
}
