using System.Text;
using System.Text.Json;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.Runs;

namespace AlignLab.Tests.Runs;

public sealed class JsonlLogTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string KeyOf(JsonElement line) => line.GetProperty("id").GetRawText();

    private static byte[] Line(int id) => Encoding.UTF8.GetBytes($"{{\"id\": {id}, \"v\": \"x\"}}");

    [Fact]
    public void Appended_lines_are_whole_and_a_reopened_log_knows_their_keys()
    {
        var path = _dir.File("out/results.jsonl");
        using (var log = JsonlLog.Open(path, KeyOf))
        {
            log.Append(Line(1));
            log.Append(Line(2));
            Assert.Throws<InvalidOperationException>(() => log.Append(Line(2)));
            Assert.Throws<ArgumentException>(() => log.Append("{\"id\": 3,\n\"v\": 1}"u8));
        }
        Assert.Equal("{\"id\": 1, \"v\": \"x\"}\n{\"id\": 2, \"v\": \"x\"}\n", File.ReadAllText(path));
        using var reopened = JsonlLog.Open(path, KeyOf);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.Contains("2"));
        Assert.False(reopened.Contains("3"));
        Assert.Equal(0, reopened.TruncatedBytes);
    }

    [Theory]
    [InlineData("{\"id\": 3, \"v\": \"x")]
    [InlineData("{\"id\": 3, \"v\": \"x\"}")] // complete JSON but no '\n': the write was still cut short
    [InlineData("{")]
    public void A_torn_last_line_is_cut_off_on_reopening_and_the_next_append_follows_cleanly(string torn)
    {
        var path = _dir.File("results.jsonl");
        var good = "{\"id\": 1, \"v\": \"x\"}\n{\"id\": 2, \"v\": \"x\"}\n";
        File.WriteAllText(path, good + torn);
        using (var log = JsonlLog.Open(path, KeyOf))
        {
            Assert.Equal(2, log.Count);
            Assert.Equal(Encoding.UTF8.GetByteCount(torn), log.TruncatedBytes);
            Assert.False(log.Contains("3"));
            log.Append(Line(3));
        }
        Assert.Equal(good + "{\"id\": 3, \"v\": \"x\"}\n", File.ReadAllText(path));
        Assert.Equal(3, JsonlFile.Read(path).Count());
    }

    [Fact]
    public void A_damaged_line_before_the_end_is_an_error_naming_it()
    {
        var path = _dir.Write("results.jsonl", "{\"id\": 1}\n{\"id\": \n{\"id\": 3}\n");
        var error = Assert.Throws<DataFormatException>(() => JsonlLog.Open(path, KeyOf));
        Assert.StartsWith($"{path}:2: damaged line", error.Message, StringComparison.Ordinal);
        var duplicate = _dir.Write("dup.jsonl", "{\"id\": 1}\n{\"id\": 1}\n");
        Assert.Equal($"{duplicate}:2: key 1 repeats line 1", Assert.Throws<DataFormatException>(() => JsonlLog.Open(duplicate, KeyOf)).Message);
    }

    [Fact]
    public void Reading_a_results_file_refuses_an_unfinished_last_line()
    {
        var path = _dir.Write("results.jsonl", "{\"id\": 1}\n{\"id\": 2");
        var error = Assert.Throws<DataFormatException>(() => JsonlFile.Read(path).ToList());
        Assert.StartsWith($"{path}:2: incomplete last line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_lines_cross_read_buffers_intact()
    {
        var path = _dir.File("long.jsonl");
        var value = new string('é', 100_000);
        using (var log = JsonlLog.Open(path, KeyOf))
        {
            for (var i = 0; i < 3; i++)
            {
                log.Append(JsonSerializer.SerializeToUtf8Bytes(new { id = i, v = value }));
            }
        }
        var lines = JsonlFile.Read(path).ToList();
        Assert.Equal([1L, 2L, 3L], lines.Select(l => l.Line));
        Assert.All(lines, l => Assert.Equal(value, l.Element.GetProperty("v").GetString()));
    }
}
