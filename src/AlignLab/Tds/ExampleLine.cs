using System.Globalization;
using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Tds;

/// <summary>One position as read back from positions.jsonl: what the summary and the tables need.</summary>
public sealed record TokenLine(
    int Id, string Text, ShiftClass Class, int BaseRank, double? BaseLogProb, double? AlignedLogProb, double? Kl, double? KlReverse,
    double? AlignedEntropy, double? BaseEntropy, double Jaccard, double WeightedOverlap, double? KlTopK, string? Label = null);

/// <summary>One example as read back from positions.jsonl.</summary>
public sealed record ExampleLine(
    RecordId Id, int Index, string Instruction, string? Category, InstructionTags? Tags, string Answer, IReadOnlyList<TokenLine> Tokens)
{
    /// <summary>Reads a line; a missing or mistyped field is a <see cref="DataFormatException"/> naming file, line and field.</summary>
    public static ExampleLine Parse(JsonElement json, string path, long line)
    {
        try
        {
            var id = RecordFields.Id(json) ?? throw new RecordFieldException("field \"id\" is missing");
            var tags = json.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object
                ? new InstructionTags(RecordFields.StringList(t, "task_types"), RecordFields.StringList(t, "topics"), RecordFields.OptionalString(t, "difficulty"))
                : null;
            if (!json.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
            {
                throw new RecordFieldException("field \"tokens\" is missing, expected an array");
            }
            return new ExampleLine(id, Int(json, "index"), RecordFields.RequiredString(json, "instruction"), RecordFields.OptionalString(json, "category"),
                tags, RecordFields.RequiredString(json, "answer"), [.. tokens.EnumerateArray().Select(Token)]);
        }
        catch (RecordFieldException e)
        {
            throw DataFormatException.At(path, line, e.Message);
        }
    }

    /// <summary>The <c>index</c> of a positions.jsonl or skipped.jsonl line.</summary>
    public static int IndexOf(JsonElement json, string path, long line)
    {
        try
        {
            return Int(json, "index");
        }
        catch (RecordFieldException e)
        {
            throw DataFormatException.At(path, line, e.Message);
        }
    }

    private static TokenLine Token(JsonElement t)
    {
        if (t.ValueKind != JsonValueKind.Object)
        {
            throw new RecordFieldException("field \"tokens\" holds something other than objects");
        }
        var className = RecordFields.RequiredString(t, "class");
        var shift = ShiftClasses.Parse(className) ?? throw new RecordFieldException($"token field \"class\" is \"{className}\", expected unshifted, marginal or shifted");
        return new TokenLine(Int(t, "id"), RecordFields.RequiredString(t, "text"), shift, Int(t, "base_rank"),
            Number(t, "base_logprob"), Number(t, "aligned_logprob"), Number(t, "kl"), Number(t, "kl_reverse"),
            Number(t, "aligned_entropy"), Number(t, "base_entropy"),
            Number(t, "jaccard") ?? throw Missing("jaccard"), Number(t, "weighted_overlap") ?? throw Missing("weighted_overlap"),
            Number(t, "kl_topk") ?? Number(t, "topk_kl"), // topk_kl: its name in runs written before kl_topk
            RecordFields.OptionalString(t, "label"));
    }

    private static RecordFieldException Missing(string name) => new($"token field \"{name}\" is missing, expected a number");

    private static int Int(JsonElement json, string name)
        => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : throw new RecordFieldException(string.Create(CultureInfo.InvariantCulture, $"field \"{name}\" is missing or not an integer"));

    private static double? Number(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new RecordFieldException($"field \"{name}\" is {JsonRecordFile.Kind(v.ValueKind)}, expected a number");
    }
}

/// <summary>One line of skipped.jsonl.</summary>
public sealed record SkippedLine(RecordId Id, int Index, string Reason)
{
    public static SkippedLine Parse(JsonElement json, string path, long line)
    {
        try
        {
            return new SkippedLine(RecordFields.Id(json) ?? throw new RecordFieldException("field \"id\" is missing"),
                ExampleLine.IndexOf(json, path, line), RecordFields.RequiredString(json, "reason"));
        }
        catch (RecordFieldException e)
        {
            throw DataFormatException.At(path, line, e.Message);
        }
    }
}
