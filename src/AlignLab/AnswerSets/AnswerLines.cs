using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Runs;

namespace AlignLab.AnswerSets;

/// <summary>
/// The lines of an answer set's files. An answer, in the Just-Eval format:
/// <c>{"id", "instruction", "category", "output", "generator"}</c> (the id as the data gave it, category null
/// when the data has none). A samples line: <c>{"id", "chosen": i, "samples": [{"output", "end", "verdict",
/// "tokens"}, ...]}</c>. An answer that carries its samples: the answer's fields, then "chosen" and "samples" as
/// in a samples line. All are keyed by the id.
/// </summary>
internal static class AnswerLines
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The key of a line: its id, as <see cref="RecordId.ToString"/> shows it (a number bare, a string quoted).</summary>
    public static string KeyOf(JsonElement line)
        => (RecordId.FromJson(line.GetProperty("id")) ?? throw new FormatException("\"id\" is neither a string nor a number")).ToString();

    public static string KeyOf(InstructionRecord record) => record.Id.ToString();

    public static byte[] Answer(InstructionRecord record, string output, string generator) => Write(json =>
    {
        json.WriteStartObject();
        WriteAnswerFields(json, record, output, generator);
        json.WriteEndObject();
    });

    public static byte[] AnswerWithSamples(InstructionRecord record, IReadOnlyList<AnswerSample> samples, IReadOnlyList<SampleVerdict> verdicts, int chosen,
        string generator) => Write(json =>
    {
        json.WriteStartObject();
        WriteAnswerFields(json, record, samples[chosen].Text, generator);
        WriteSampleFields(json, samples, verdicts, chosen);
        json.WriteEndObject();
    });

    public static byte[] Samples(InstructionRecord record, IReadOnlyList<AnswerSample> samples, IReadOnlyList<SampleVerdict> verdicts, int chosen) => Write(json =>
    {
        json.WriteStartObject();
        json.WritePropertyName("id");
        record.Id.WriteTo(json);
        WriteSampleFields(json, samples, verdicts, chosen);
        json.WriteEndObject();
    });

    private static void WriteAnswerFields(Utf8JsonWriter json, InstructionRecord record, string output, string generator)
    {
        json.WritePropertyName("id");
        record.Id.WriteTo(json);
        json.WriteString("instruction", record.Instruction);
        json.WriteString("category", record.Category);
        json.WriteString("output", output);
        json.WriteString("generator", generator);
    }

    private static void WriteSampleFields(Utf8JsonWriter json, IReadOnlyList<AnswerSample> samples, IReadOnlyList<SampleVerdict> verdicts, int chosen)
    {
        json.WriteNumber("chosen", chosen);
        json.WriteStartArray("samples");
        for (var i = 0; i < samples.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("output", samples[i].Text);
            json.WriteString("end", EndName(samples[i].End));
            json.WriteString("verdict", JsonNamingPolicy.SnakeCaseLower.ConvertName(verdicts[i].ToString()));
            json.WriteNumber("tokens", samples[i].TokenCount);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// The kept output of every samples line whose key is in <paramref name="keys"/>: answers an interrupted run
    /// had chosen but not yet written.
    /// </summary>
    public static Dictionary<string, string> ChosenOutputs(string samplesPath, IReadOnlySet<string> keys)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return outputs;
        }
        foreach (var (line, element) in JsonlFile.Read(samplesPath))
        {
            var key = KeyOf(element);
            if (keys.Contains(key))
            {
                outputs[key] = ChosenOutput(samplesPath, line, element);
            }
        }
        return outputs;
    }

    public static string EndName(AnswerEnd end) => JsonNamingPolicy.SnakeCaseLower.ConvertName(end.ToString());

    private static string ChosenOutput(string path, long line, JsonElement element)
    {
        if (element.TryGetProperty("chosen", out var chosen) && chosen.TryGetInt32(out var index)
            && element.TryGetProperty("samples", out var samples) && samples.ValueKind == JsonValueKind.Array
            && index >= 0 && index < samples.GetArrayLength()
            && samples[index].ValueKind == JsonValueKind.Object
            && samples[index].TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String)
        {
            return output.GetString()!;
        }
        throw DataFormatException.At(path, line, "expected {\"id\", \"chosen\": i, \"samples\": [{\"output\": text, ...}, ...]} with sample i present");
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
