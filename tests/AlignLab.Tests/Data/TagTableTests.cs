using AlignLab.Data;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Tests.Data;

public sealed class TagTableTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Tags_match_ids_by_text_and_missing_fields_are_empty()
    {
        var tags = TagTable.Read(_dir.Write("tags.jsonl", "{\"id\": 3, \"task_types\": [\"math\"], \"difficulty\": \"hard\"}\n{\"id\": \"b\", \"topics\": [\"stem\", \"code\"]}\n"), new BadRecordLog(false));
        Assert.Equal(2, tags.Count);
        Assert.Equal(["math"], tags.Find(RecordId.FromString("3"))!.TaskTypes);
        Assert.Equal("hard", tags.Find(RecordId.FromNumber(3))!.Difficulty);
        var b = tags.Find(RecordId.FromString("b"))!;
        Assert.Equal((0, 2, null), (b.TaskTypes.Count, b.Topics.Count, b.Difficulty));
        Assert.Null(tags.Find(RecordId.FromNumber(4)));
    }

    [Fact]
    public void A_malformed_tag_record_names_file_and_line()
    {
        var path = _dir.Write("tags.json", "[\n{\"id\": 1, \"topics\": [\"a\"]},\n{\"id\": 2, \"topics\": \"a\"}\n]");
        var error = Assert.Throws<DataFormatException>(() => TagTable.Read(path, new BadRecordLog(false)));
        Assert.Equal($"{path}:3: field \"topics\" is a string, expected an array of strings", error.Message);
    }
}
