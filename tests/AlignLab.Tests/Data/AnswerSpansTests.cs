using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Tests.Data;

public sealed class AnswerSpansTests
{
    private static IReadOnlyList<AnswerSpan>? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var output = document.RootElement.TryGetProperty("output", out var o) ? o.GetString() : null;
        return AnswerSpans.Read(document.RootElement, output);
    }

    [Fact]
    public void ReadsOrderedSpansAndLeavesGapsUnlabelled()
    {
        var spans = Read("""{"output": "Hello! Cats purr.", "spans": [{"start": 0, "end": 7, "label": "style"}, {"start": 7, "end": 17, "label": "knowledge"}]}""");
        Assert.Equal([new AnswerSpan(0, 7, "style"), new AnswerSpan(7, 17, "knowledge")], spans);
        Assert.Null(Read("""{"output": "x"}"""));
        Assert.Null(Read("""{"output": "x", "spans": null}"""));
    }

    [Theory]
    [InlineData("""{"output": "abc", "spans": {}}""", "field \"spans\" is an object, expected an array")]
    [InlineData("""{"spans": []}""", "without an \"output\"")]
    [InlineData("""{"output": "abc", "spans": [{"start": 0, "end": 4, "label": "style"}]}""", "field \"spans[0].end\" is missing or not an offset in 0..3")]
    [InlineData("""{"output": "abc", "spans": [{"start": -1, "end": 2, "label": "style"}]}""", "\"spans[0].start\"")]
    [InlineData("""{"output": "abc", "spans": [{"start": 2, "end": 2, "label": "style"}]}""", "field \"spans[0]\" ends at 2, not after its start 2")]
    [InlineData("""{"output": "abc", "spans": [{"start": 0, "end": 2, "label": ""}]}""", "field \"spans[0].label\" is missing or empty")]
    [InlineData("""{"output": "abc", "spans": [{"start": 0, "end": 2, "label": "a"}, {"start": 1, "end": 3, "label": "b"}]}""", "field \"spans[1]\" starts at 1, before the previous span's end 2")]
    [InlineData("""{"output": "abc", "spans": [7]}""", "field \"spans[0]\" is a number, expected an object")]
    public void MalformedSpansNameTheField(string json, string expected)
    {
        var e = Assert.Throws<RecordFieldException>(() => Read(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenTakesTheLabelOfItsFirstNonSpaceCharacter()
    {
        // "Hi! The cat is grey. Bye!"  style [0,4) "Hi! ", knowledge [4,21) "The cat is grey. ", style [21,25) "Bye!"
        const string output = "Hi! The cat is grey. Bye!";
        AnswerSpan[] spans = [new(0, 4, "style"), new(4, 21, "knowledge"), new(21, 25, "style")];
        string[] tokens = ["Hi", "!", " The", " cat", " is", " grey", ".", " Bye", "!"];
        string?[] expected = ["style", "style", "knowledge", "knowledge", "knowledge", "knowledge", "knowledge", "style", "style"];
        Assert.Equal<IEnumerable<string?>>(expected, AnswerSpans.LabelTokens(output, spans, tokens)!);
    }

    [Fact]
    public void WhitespaceTokensUseTheirFirstCharacterAndUncoveredTextIsNull()
    {
        const string output = "ab  cd";
        AnswerSpan[] spans = [new(0, 3, "style"), new(4, 5, "knowledge")];
        // "ab" style; "  " starts at 2 (style); "c" at 4 knowledge; "d" at 5 uncovered.
        string?[] expected = ["style", "style", "knowledge", null];
        Assert.Equal<IEnumerable<string?>>(expected, AnswerSpans.LabelTokens(output, spans, ["ab", "  ", "c", "d"])!);
    }

    [Fact]
    public void TokensThatDoNotSpellTheOutputGiveNoLabels()
    {
        AnswerSpan[] spans = [new(0, 3, "style")];
        Assert.Null(AnswerSpans.LabelTokens("abc", spans, ["a", "x", "c"]));
        Assert.Null(AnswerSpans.LabelTokens("abc", spans, ["a", "b"]));
        Assert.Null(AnswerSpans.LabelTokens("abc", spans, ["abc", "d"]));
    }

    [Fact]
    public void ReaderCarriesSpansIntoRecordsAndNamesTheLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {"instruction": "q", "output": "Hi. Fact.", "spans": [{"start": 0, "end": 4, "label": "style"}, {"start": 4, "end": 9, "label": "knowledge"}]}
                {"instruction": "r", "output": "x", "spans": [{"start": 0, "end": 5, "label": "style"}]}
                """);
            var bad = new BadRecordLog(skipBad: true);
            var records = InstructionReader.Read(path, bad);
            Assert.Equal([new AnswerSpan(0, 4, "style"), new AnswerSpan(4, 9, "knowledge")], records.Single().Spans);
            Assert.Contains(":2: ", Assert.Single(bad.Warnings), StringComparison.Ordinal);
            Assert.Contains("spans[0].end", bad.Warnings[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
