using System.Globalization;

namespace AlignLab.Data;

/// <summary>
/// Just-Eval tags by instruction id, read from a file shaped like tags_list.json (a JSON array or JSON
/// Lines of <c>{"id", "task_types": [...], "topics": [...], "difficulty", "dataset"?}</c>; an instruction file
/// such as just-eval-instruct.json gives the datasets). Ids are matched by their text, so a tag for 7
/// applies to a record whose id is 7 or "7".
/// </summary>
public sealed class TagTable
{
    private readonly Dictionary<string, InstructionTags> _byId;

    private TagTable(Dictionary<string, InstructionTags> byId) => _byId = byId;

    public int Count => _byId.Count;

    public static TagTable Read(string path, BadRecordLog bad, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var byId = new Dictionary<string, InstructionTags>(StringComparer.Ordinal);
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var json in JsonRecordFile.Read(path, bad, limits))
        {
            try
            {
                var id = RecordFields.Id(json.Element) ?? throw new RecordFieldException("field \"id\" is missing, expected a string or a number");
                if (lines.TryGetValue(id.Text, out var first))
                {
                    throw new RecordFieldException(string.Create(CultureInfo.InvariantCulture, $"id {id} repeats the id of line {first}"));
                }
                byId[id.Text] = new InstructionTags(
                    RecordFields.StringList(json.Element, "task_types"),
                    RecordFields.StringList(json.Element, "topics"),
                    RecordFields.OptionalString(json.Element, "difficulty"))
                {
                    Dataset = RecordFields.OptionalString(json.Element, "dataset"),
                };
                lines[id.Text] = json.Line;
            }
            catch (RecordFieldException e)
            {
                bad.Report(path, json.Line, e.Message);
            }
        }
        return new TagTable(byId);
    }

    /// <summary>
    /// The tags of several files joined by id: each field from the first table that has it (a non-empty list, a
    /// difficulty, a dataset), so a tags file and an instruction file together give tags and datasets.
    /// </summary>
    public static TagTable Combine(IEnumerable<TagTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var byId = new Dictionary<string, InstructionTags>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            foreach (var (id, tags) in table._byId)
            {
                byId[id] = byId.TryGetValue(id, out var first)
                    ? new InstructionTags(
                        first.TaskTypes.Count > 0 ? first.TaskTypes : tags.TaskTypes,
                        first.Topics.Count > 0 ? first.Topics : tags.Topics,
                        first.Difficulty ?? tags.Difficulty)
                    {
                        Dataset = first.Dataset ?? tags.Dataset,
                    }
                    : tags;
            }
        }
        return new TagTable(byId);
    }

    public InstructionTags? Find(RecordId id) => _byId.GetValueOrDefault((id ?? throw new ArgumentNullException(nameof(id))).Text);

    /// <summary>The records with their tags joined (records without tags keep none).</summary>
    public IReadOnlyList<InstructionRecord> Apply(IEnumerable<InstructionRecord> records)
        => [.. records.Select(r => Find(r.Id) is { } tags ? r with { Tags = tags } : r)];
}
