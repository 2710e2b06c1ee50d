using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Tds;

/// <summary>
/// Serialises outcomes as the one-line JSON records of positions.jsonl and skipped.jsonl (docs/TDS-SCHEMA.md).
/// Besides the schema's fields each example carries <c>index</c> (its place in the data file, which orders
/// results however they were computed) and <c>answer_origin</c>. Probabilities are written as floats.
/// </summary>
public static class PositionsWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Example(ExampleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Write(json =>
        {
            var r = result.Record;
            json.WriteStartObject();
            WriteIdentity(json, r);
            json.WriteString("instruction", r.Instruction);
            json.WriteString("category", r.Category);
            if (r.Dataset is not null)
            {
                json.WriteString("dataset", r.Dataset);
            }
            if (r.SourceId is not null)
            {
                json.WriteString("source_id", r.SourceId);
            }
            if (r.Tags is { } tags)
            {
                WriteTags(json, tags);
            }
            json.WriteString("answer", result.Answer);
            json.WriteString("answer_origin", OriginName(result.Origin));
            json.WriteStartArray("tokens");
            foreach (var p in result.Positions)
            {
                WritePosition(json, p);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static byte[] Skipped(SkippedExample skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        return Write(json =>
        {
            json.WriteStartObject();
            WriteIdentity(json, skipped.Record);
            json.WriteString("reason", skipped.Reason);
            json.WriteEndObject();
        });
    }

    public static string OriginName(AnswerOrigin origin) => origin switch
    {
        AnswerOrigin.EndOfTurn => "end_of_turn",
        AnswerOrigin.MaxTokens => "max_tokens",
        AnswerOrigin.ContextFull => "context_full",
        _ => "output",
    };

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIdentity(Utf8JsonWriter json, InstructionRecord r)
    {
        json.WritePropertyName("id");
        r.Id.WriteTo(json);
        json.WriteNumber("index", r.Index);
    }

    private static void WriteTags(Utf8JsonWriter json, InstructionTags tags)
    {
        json.WriteStartObject("tags");
        WriteStrings(json, "task_types", tags.TaskTypes);
        WriteStrings(json, "topics", tags.Topics);
        json.WriteString("difficulty", tags.Difficulty);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter json, PositionResult p)
    {
        json.WriteStartObject();
        json.WriteNumber("id", p.TokenId);
        json.WriteString("text", p.Text);
        json.WriteString("class", ShiftClasses.Name(p.Class));
        json.WriteNumber("base_rank", p.BaseRank);
        WriteFloat(json, "base_logprob", p.BaseLogProb);
        WriteFloat(json, "aligned_logprob", p.AlignedLogProb);
        WriteNullable(json, "kl", p.Kl);
        WriteNullable(json, "kl_reverse", p.KlReverse);
        WriteNullable(json, "aligned_entropy", p.AlignedEntropy);
        WriteNullable(json, "base_entropy", p.BaseEntropy);
        json.WriteNumber("jaccard", p.Overlap.Jaccard);
        json.WriteNumber("weighted_overlap", p.Overlap.WeightedOverlap);
        WriteNullable(json, "kl_topk", p.Overlap.Kl);
        WriteTop(json, "aligned_top", p.AlignedTop);
        WriteTop(json, "base_top", p.BaseTop);
        if (p.Label is not null)
        {
            json.WriteString("label", p.Label);
        }
        json.WriteEndObject();
    }

    /// <summary>A float with float precision (shortest round-trip text); null if not finite (a −∞ log-probability).</summary>
    private static void WriteFloat(Utf8JsonWriter json, string name, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary><c>[[id, prob], ...]</c>, most likely first.</summary>
    private static void WriteTop(Utf8JsonWriter json, string name, IReadOnlyList<TopToken> top)
    {
        json.WriteStartArray(name);
        foreach (var t in top)
        {
            json.WriteStartArray();
            json.WriteNumberValue(t.Id);
            json.WriteNumberValue(MathF.Exp(t.LogProb));
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }
}
