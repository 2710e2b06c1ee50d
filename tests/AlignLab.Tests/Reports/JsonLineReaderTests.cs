using System.Text;
using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;

namespace AlignLab.Tests.Reports;

public sealed class JsonLineReaderTests
{
    private static List<(long Number, string Text, bool Terminated)> Read(string path, int maxLineBytes = 1 << 20)
        => [.. JsonLineReader.Read(path, maxLineBytes).Select(l => (l.Number, Encoding.UTF8.GetString(l.Bytes.Span), l.Terminated))];

    [Fact]
    public void Lines_keep_their_numbers_across_blank_lines_and_crlf()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.Write("a.jsonl", "{\"a\":1}\r\n\n   \n{\"b\":2}\n{\"c\":3}");

        Assert.Equal([(1, "{\"a\":1}", true), (4, "{\"b\":2}", true), (5, "{\"c\":3}", false)], Read(path));
    }

    [Fact]
    public void An_empty_file_has_no_lines()
    {
        using var scratch = new ScratchDirectory();
        Assert.Empty(Read(scratch.Write("empty.jsonl", "")));
        Assert.Empty(Read(scratch.Write("blank.jsonl", "\n\n")));
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_come_back_whole()
    {
        using var scratch = new ScratchDirectory();
        var long1 = new string('x', 3_000_000);
        var long2 = new string('y', 2_500_001);
        var path = scratch.Write("long.jsonl", $"short\n{long1}\n{long2}\nend\n");

        var lines = Read(path, maxLineBytes: 4_000_000);

        Assert.Equal(["short", long1, long2, "end"], lines.Select(l => l.Text));
        Assert.Equal([1L, 2, 3, 4], lines.Select(l => l.Number));
    }

    [Fact]
    public void A_line_past_the_limit_is_an_error_naming_it()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.Write("big.jsonl", "ok\n" + new string('z', 5000) + "\nnever read\n");

        var error = Assert.Throws<ReportInputException>(() => Read(path, maxLineBytes: 4096));

        Assert.Equal($"{path}: line 2: longer than the 4096-byte limit for one line", error.Message);
    }

    [Fact]
    public void A_line_exactly_at_the_limit_is_read()
    {
        using var scratch = new ScratchDirectory();
        var line = new string('q', 4096);
        Assert.Equal([line, line], Read(scratch.Write("edge.jsonl", line + "\n" + line), maxLineBytes: 4096).Select(l => l.Text));
    }
}
