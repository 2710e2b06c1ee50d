using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Training;

/// <summary>
/// Reads a training data file of JSON records (JSON Lines or one JSON array, as <see cref="JsonRecordFile"/>
/// reads them); any malformed record stops the read with a one-line <see cref="DataFormatException"/>
/// naming the file and line, because training on a silently shortened data set would mislead.
/// </summary>
internal static class TrainingRecords
{
    public static List<T> Read<T>(string path, Func<JsonElement, T> parse)
    {
        var bad = new BadRecordLog(skipBad: false);
        var items = new List<T>();
        foreach (var record in JsonRecordFile.Read(path, bad))
        {
            try
            {
                items.Add(parse(record.Element));
            }
            catch (RecordFieldException e)
            {
                bad.Report(path, record.Line, e.Message);
            }
        }
        return items.Count > 0 ? items : throw DataFormatException.At(path, 0, "holds no records");
    }

    /// <summary>A string field that must be present and not empty.</summary>
    public static string Text(JsonElement record, string name)
        => RecordFields.RequiredString(record, name) is { Length: > 0 } text ? text : throw new RecordFieldException($"field \"{name}\" is empty");
}
