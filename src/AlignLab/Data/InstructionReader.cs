using System.Globalization;

namespace AlignLab.Data;

/// <summary>
/// Reads an instruction set: a JSON array or JSON Lines of Just-Eval records (<c>id</c> string or number,
/// <c>instruction</c>, <c>category</c>, <c>dataset</c>, <c>source_id</c>, optional <c>output</c> and
/// <c>generator</c>, optional <c>spans</c> labelling the output (<see cref="AnswerSpans"/>); other fields ignored) or plain <c>{"instruction": ...}</c> records, whose id is then their
/// 0-based index as a number. Ids must be unique. A malformed record stops the read with its file and
/// line, or is skipped and counted when the <see cref="BadRecordLog"/> says so.
/// </summary>
public static class InstructionReader
{
    public static IReadOnlyList<InstructionRecord> Read(string path, BadRecordLog bad, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var records = new List<InstructionRecord>();
        var lines = new Dictionary<RecordId, long>();
        foreach (var json in JsonRecordFile.Read(path, bad, limits))
        {
            InstructionRecord record;
            try
            {
                record = ToRecord(json);
            }
            catch (RecordFieldException e)
            {
                bad.Report(path, json.Line, e.Message);
                continue;
            }
            if (lines.TryGetValue(record.Id, out var first))
            {
                bad.Report(path, json.Line, string.Create(CultureInfo.InvariantCulture, $"id {record.Id} repeats the id of line {first}"));
                continue;
            }
            lines[record.Id] = json.Line;
            records.Add(record);
        }
        if (records.Count == 0)
        {
            throw DataFormatException.At(path, 0, bad.Count > 0 ? "no valid instruction records (every record was skipped)" : "no instruction records");
        }
        return records;
    }

    private static InstructionRecord ToRecord(JsonRecord json)
    {
        var e = json.Element;
        var instruction = RecordFields.RequiredString(e, "instruction");
        if (string.IsNullOrWhiteSpace(instruction))
        {
            throw new RecordFieldException("field \"instruction\" is empty");
        }
        var output = RecordFields.OptionalString(e, "output");
        return new InstructionRecord
        {
            Id = RecordFields.Id(e) ?? RecordId.FromNumber(json.Index),
            Instruction = instruction,
            Index = json.Index,
            Line = json.Line,
            Category = RecordFields.OptionalString(e, "category"),
            Dataset = RecordFields.OptionalString(e, "dataset"),
            SourceId = RecordFields.OptionalString(e, "source_id"),
            Output = output,
            Spans = AnswerSpans.Read(e, output),
            Generator = RecordFields.OptionalString(e, "generator"),
        };
    }
}
