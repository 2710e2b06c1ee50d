using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Pluralism;

/// <summary>One instruction's answers in a sample set.</summary>
public sealed record SampledInstruction(RecordId Id, string Instruction, IReadOnlyList<string> Samples);

/// <summary>
/// A model's answers to a data set, read for the measures: the lines of <c>pluralism sample</c> (every sample in
/// <c>"samples": [{"output": ...}]</c>) or a plain Just-Eval answer set (its one <c>"output"</c>), as a JSON array or
/// JSON Lines. Named after its file (without extension) in the measures' output.
/// </summary>
public sealed class SampleSet
{
    private SampleSet(string name, IReadOnlyList<SampledInstruction> instructions)
    {
        Name = name;
        Instructions = instructions;
        ById = instructions.ToDictionary(i => i.Id.ToString(), StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>In file order.</summary>
    public IReadOnlyList<SampledInstruction> Instructions { get; }

    /// <summary>By <see cref="RecordId.ToString"/>.</summary>
    public IReadOnlyDictionary<string, SampledInstruction> ById { get; }

    public static SampleSet Read(string path)
    {
        var instructions = new List<SampledInstruction>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in JsonRecordFile.Read(path, new BadRecordLog(skipBad: false)))
        {
            var element = record.Element;
            var id = element.TryGetProperty("id", out var idElement) ? RecordId.FromJson(idElement) : null;
            if (id is null)
            {
                throw DataFormatException.At(path, record.Line, "expected an \"id\" (string or number)");
            }
            if (!seen.Add(id.ToString()))
            {
                throw DataFormatException.At(path, record.Line, $"id {id} appears twice");
            }
            var instruction = element.TryGetProperty("instruction", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
            instructions.Add(new SampledInstruction(id, instruction, SamplesOf(path, record)));
        }
        return new SampleSet(Path.GetFileNameWithoutExtension(path), instructions);
    }

    private static IReadOnlyList<string> SamplesOf(string path, JsonRecord record)
    {
        var element = record.Element;
        if (element.TryGetProperty("samples", out var samples))
        {
            if (samples.ValueKind == JsonValueKind.Array && samples.GetArrayLength() > 0
                && samples.EnumerateArray().All(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String))
            {
                return [.. samples.EnumerateArray().Select(s => s.GetProperty("output").GetString()!)];
            }
            throw DataFormatException.At(path, record.Line, "expected \"samples\": [{\"output\": string, ...}, ...] with at least one sample");
        }
        if (element.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String)
        {
            return [output.GetString()!];
        }
        throw DataFormatException.At(path, record.Line, "expected \"samples\": [{\"output\": string}, ...] or \"output\": string");
    }
}
