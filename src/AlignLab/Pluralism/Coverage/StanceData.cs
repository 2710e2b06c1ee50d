using AlignLab.Data;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// Which instructions are contentious yes/no questions, for the stance measure: <c>--stance-data FILE</c>, a JSON array
/// or JSON Lines of records with an "id" (other fields ignored), each naming an instruction of the reference samples.
/// A separate file, because no shared data set marks such questions, and any subset of any data set can be chosen
/// without rewriting the samples. An id the reference lacks, or given twice, is an error naming its line.
/// </summary>
public static class StanceData
{
    /// <summary>The listed ids (as <see cref="RecordId.ToString"/>), checked against <paramref name="reference"/>.</summary>
    public static IReadOnlySet<string> Read(string path, SampleSet reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in JsonRecordFile.Read(path, new BadRecordLog(skipBad: false)))
        {
            var id = record.Element.TryGetProperty("id", out var idElement) ? RecordId.FromJson(idElement) : null;
            if (id is null)
            {
                throw DataFormatException.At(path, record.Line, "expected an \"id\" (string or number) of a contentious yes/no question");
            }
            if (!reference.ById.ContainsKey(id.ToString()))
            {
                throw DataFormatException.At(path, record.Line, $"id {id} is not among the reference samples of {reference.Name}");
            }
            if (!ids.Add(id.ToString()))
            {
                throw DataFormatException.At(path, record.Line, $"id {id} appears twice");
            }
        }
        return ids;
    }
}
