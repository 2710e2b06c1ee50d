using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>
/// Reads judged answers in either form: Just-Eval's published files (a JSON array of <c>{"id", "output_cand",
/// "generator_cand", "parsed_result": {ASPECT: {"reason", "score"}}, ...}</c>) or our judgments (JSON Lines of
/// <see cref="JudgedLines"/>). A record without a <c>parsed_result</c> is a failed judgment (our "failure" says
/// why). Anything malformed is an error naming the file, the line and the field.
/// </summary>
public static class JudgedRecordReader
{
    public static IReadOnlyList<JudgedRecord> Read(string path, ReadLimits? limits = null)
    {
        var records = new List<JudgedRecord>();
        foreach (var json in JsonRecordFile.Read(path, new BadRecordLog(skipBad: false), limits))
        {
            try
            {
                records.Add(ToRecord(json, path));
            }
            catch (RecordFieldException e)
            {
                throw DataFormatException.At(path, json.Line, e.Message);
            }
        }
        return records;
    }

    private static JudgedRecord ToRecord(JsonRecord json, string path)
    {
        var e = json.Element;
        var id = RecordFields.Id(e) ?? throw new RecordFieldException("field \"id\" is missing, expected a string or a number");
        var set = RecordFields.OptionalString(e, "generator") ?? RecordFields.OptionalString(e, "generator_cand")
            ?? throw new RecordFieldException("field \"generator\" (or \"generator_cand\") is missing: it names the answer set");
        var output = RecordFields.OptionalString(e, "output") ?? RecordFields.OptionalString(e, "output_cand")
            ?? throw new RecordFieldException("field \"output\" (or \"output_cand\") is missing");
        var usage = JudgmentJson.ReadUsage(e, out var usageProblem) ?? throw new RecordFieldException(usageProblem);
        var (scores, failure) = ReadScores(e);
        return new JudgedRecord
        {
            Id = id,
            Set = set,
            Output = output,
            Scores = scores,
            Failure = failure,
            Dataset = RecordFields.OptionalString(e, "dataset"),
            Uncategorized = e.TryGetProperty("category", out var category) && category.ValueKind == JsonValueKind.Null,
            Usage = usage,
            File = path,
            Line = json.Line,
        };
    }

    private static (IReadOnlyDictionary<string, double> Scores, string? Failure) ReadScores(JsonElement e)
    {
        var none = new Dictionary<string, double>();
        if (!e.TryGetProperty("parsed_result", out var parsed) || parsed.ValueKind == JsonValueKind.Null)
        {
            return (none, RecordFields.OptionalString(e, "failure") ?? "no parsed_result: the judge's reply was not parsed");
        }
        var scores = JudgmentJson.ReadParsedResult(parsed, out var problem) ?? throw new RecordFieldException(problem);
        return scores.Count == 0
            ? (none, "parsed_result holds no aspect")
            : (scores.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal), null);
    }
}
