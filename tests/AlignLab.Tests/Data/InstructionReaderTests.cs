using AlignLab.Data;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Tests.Data;

public sealed class InstructionReaderTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<InstructionRecord> Read(string path, bool skipBad = false) => InstructionReader.Read(path, new BadRecordLog(skipBad));

    [Fact]
    public void A_json_array_keeps_ids_as_given_and_every_field()
    {
        var path = _dir.Write("set.json", """
            [
              {"id": 7, "instruction": "Seven?", "category": "regular", "dataset": "d", "source_id": "s-7", "output": "Yes.", "generator": "g", "datasplit": "x"},
              {"id": "a-1", "instruction": "String id"},
              {"id": 2.50, "instruction": "Odd number"}
            ]
            """);
        var records = Read(path);
        Assert.Equal(3, records.Count);
        var first = records[0];
        Assert.Equal((RecordId.FromNumber(7), "Seven?", 0, 2L), (first.Id, first.Instruction, first.Index, first.Line));
        Assert.Equal(("regular", "d", "s-7", "Yes.", "g"), (first.Category, first.Dataset, first.SourceId, first.Output, first.Generator));
        Assert.False(records[1].Id.IsNumber);
        Assert.Equal("a-1", records[1].Id.Text);
        Assert.Equal(("2.50", true), (records[2].Id.Text, records[2].Id.IsNumber));
        Assert.Null(records[1].Category);
    }

    [Fact]
    public void Json_lines_and_plain_instruction_lines_get_their_index_as_id()
    {
        var path = _dir.Write("set.jsonl", "{\"instruction\": \"first\"}\n\n{\"instruction\": \"second\"}\r\n{\"id\": \"x\", \"instruction\": \"third\"}");
        var records = Read(path);
        Assert.Equal([RecordId.FromNumber(0), RecordId.FromNumber(1), RecordId.FromString("x")], records.Select(r => r.Id));
        Assert.Equal([1L, 3L, 4L], records.Select(r => r.Line));
        Assert.Equal("second", records[1].Instruction);
    }

    [Theory]
    [InlineData("{\"instruction\": \"ok\"}\n{\"instruction\": \"ok\"\n", 2, "invalid JSON")]
    [InlineData("{\"instruction\": \"ok\"}\n[1, 2]\n", 2, "the line holds an array, expected an object")]
    [InlineData("{\"instruction\": \"ok\"}\n{\"instruction\": 5}\n", 2, "field \"instruction\" is a number, expected a string")]
    [InlineData("{\"instruction\": \"ok\"}\n\n{\"prompt\": \"no\"}\n", 3, "field \"instruction\" is missing")]
    [InlineData("{\"id\": true, \"instruction\": \"ok\"}\n", 1, "field \"id\" is a boolean, expected a string or a number")]
    [InlineData("{\"id\": 1, \"instruction\": \"a\"}\n{\"id\": 1, \"instruction\": \"b\"}\n", 2, "id 1 repeats the id of line 1")]
    [InlineData("{\"instruction\": \"ok\", \"category\": [1]}\n", 1, "field \"category\" is an array, expected a string")]
    [InlineData("{\"instruction\": \"\\ud800\"}\n", 1, "unpaired surrogate")]
    public void A_malformed_line_is_an_error_naming_file_and_line(string text, int line, string what)
    {
        var path = _dir.Write("bad.jsonl", text);
        var error = Assert.Throws<DataFormatException>(() => Read(path));
        Assert.StartsWith($"{path}:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_record_in_an_array_names_the_line_it_starts_on()
    {
        var path = _dir.Write("bad.json", "[\n  {\"instruction\": \"ok\"},\n  {\"id\": 3,\n   \"instruction\": null}\n]\n");
        var error = Assert.Throws<DataFormatException>(() => Read(path));
        Assert.StartsWith($"{path}:3: field \"instruction\" is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_inside_an_array_is_an_error_with_line_and_column_even_when_skipping()
    {
        var path = _dir.Write("broken.json", "[\n  {\"instruction\": \"ok\"},\n  {\"instruction\" \"no colon\"}\n]\n");
        var error = Assert.Throws<DataFormatException>(() => Read(path, skipBad: true));
        Assert.StartsWith($"{path}:3: invalid JSON at column 18", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_bad_counts_warnings_and_keeps_the_good_records_with_their_file_index()
    {
        var path = _dir.Write("mixed.jsonl", "{\"instruction\": \"a\"}\nnot json\n{\"instruction\": 1}\n{\"instruction\": \"d\"}\n");
        var bad = new BadRecordLog(skipBad: true);
        var records = InstructionReader.Read(path, bad);
        Assert.Equal(["a", "d"], records.Select(r => r.Instruction));
        Assert.Equal([0, 3], records.Select(r => r.Index));
        Assert.Equal(2, bad.Count);
        Assert.StartsWith($"{path}:2: invalid JSON", bad.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:3: field \"instruction\"", bad.Warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Files_and_lines_over_the_limits_are_refused_in_one_line()
    {
        var path = _dir.Write("big.jsonl", "{\"instruction\": \"" + new string('x', 300) + "\"}\n");
        var longLine = Assert.Throws<DataFormatException>(() => InstructionReader.Read(path, new BadRecordLog(false), new ReadLimits { MaxLineBytes = 100 }));
        Assert.StartsWith($"{path}:1: a line longer than the limit of 100 bytes", longLine.Message, StringComparison.Ordinal);
        var bigFile = Assert.Throws<DataFormatException>(() => InstructionReader.Read(path, new BadRecordLog(false), new ReadLimits { MaxFileBytes = 200 }));
        Assert.StartsWith($"{path}: ", bigFile.Message, StringComparison.Ordinal);
        Assert.Contains("limit of 200 bytes", bigFile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_or_a_missing_one_is_an_error()
    {
        var empty = _dir.Write("empty.jsonl", "\n");
        Assert.Equal($"{empty}: no instruction records", Assert.Throws<DataFormatException>(() => Read(empty)).Message);
        Assert.Throws<FileNotFoundException>(() => Read(_dir.File("absent.json")));
    }

    [Fact]
    public void The_just_eval_set_reads_with_its_tags_joined_by_id()
    {
        var data = SharedFixtures.Require("data/just-eval/just-eval-instruct.llama-2-7b-chat.json");
        var tagsFile = SharedFixtures.Require("data/just-eval/tags_list.json");
        var bad = new BadRecordLog(skipBad: false);
        var records = TagTable.Read(tagsFile, bad).Apply(InstructionReader.Read(data, bad));
        Assert.Equal(1000, records.Count);
        Assert.All(records, r => Assert.True(r.Id.IsNumber));
        Assert.Equal(800, records.Count(r => r.Tags is not null));
        Assert.All(records.Where(r => r.Tags is null), r => Assert.Equal("safety", r.Category));
        var first = records[0];
        Assert.Equal(["info-seek"], first.Tags!.TaskTypes);
        Assert.Equal(["humanities"], first.Tags.Topics);
        Assert.Equal("easy", first.Tags.Difficulty);
        Assert.StartsWith("Thank you for your question!", first.Output, StringComparison.Ordinal);
    }
}
