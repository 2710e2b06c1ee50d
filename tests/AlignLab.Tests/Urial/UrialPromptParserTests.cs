using System.Text;
using AlignLab.Engine.Tests.Support;
using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

public class UrialPromptParserTests
{
    private static UrialPrompt Parse(string text) => UrialPromptParser.Parse(text, "p.txt", "p");

    private static string ErrorOf(string text) => Assert.Throws<UrialPromptException>(() => Parse(text)).Message;

    [Fact]
    public void Windows_line_breaks_render_back_exactly()
    {
        const string text = "# Instruction\r\n\r\nBe kind.\r\n\r\n# Query:\r\n```\r\nHi\r\n```\r\n\r\n# Answer:\r\n```\r\nHello!\r\n```\r\n";
        var prompt = Parse(text);
        Assert.Equal(text, prompt.Render());
        Assert.Equal("Hi", prompt.Examples[0].Query.Content);
        Assert.Equal("Hello!", prompt.Examples[0].Answer.Content);
    }

    [Fact]
    public void A_header_inside_a_fence_is_text()
    {
        const string text = "# User:\n\nHow do URIAL prompts look?\n\n# Assistant:\n\nLike this:\n```text\n# User:\nHi\n```\nThat is all.\n";
        var prompt = Parse(text);
        var example = Assert.Single(prompt.Examples);
        Assert.Equal("Like this:\n```text\n# User:\nHi\n```\nThat is all.", example.Answer.Content);
        Assert.Equal(text, prompt.Render());
    }

    [Fact]
    public void A_preamble_may_mention_a_fence_in_passing()
    {
        const string text = "# Instruction\n\nPut code in ``` fences.\n\n# Query:\n```\nHi\n```\n\n# Answer:\n```\nHello\n```\n";
        var prompt = Parse(text);
        Assert.Equal("Hello", Assert.Single(prompt.Examples).Answer.Content);
        Assert.Equal(text, prompt.Render());
    }

    [Fact]
    public void Text_without_headers_is_all_preamble_and_the_empty_text_is_the_bare_frame()
    {
        var preambleOnly = Parse("# Instruction\n\nBe brief.\n");
        Assert.Empty(preambleOnly.Examples);
        Assert.Equal("# Instruction\n\nBe brief.\n", preambleOnly.Preamble);
        Assert.Equal(UrialFrame.Default, preambleOnly.Frame);
        var empty = Parse("");
        Assert.Empty(empty.Examples);
        Assert.Equal("", empty.Render());
    }

    [Theory]
    [InlineData("# Query:\n```\nHi\n\n# Answer:\n```\nHello\n```\n", "p.txt:5: '# Answer:' is read as text: the ``` fence opened on line 2 is not closed before it")]
    [InlineData("# Query:\n```\nHi\n```\n# Answer:\n```\nHello\n", "p.txt:6: the ``` fence opened on this line is never closed")]
    [InlineData("# Answer:\n```\nHello\n```\n", "p.txt:1: '# Answer:' without a '# Query:' before it")]
    [InlineData("# Query:\n```\nHi\n```\n# Query:\n```\nHi again\n```\n# Answer:\n```\nHello\n```\n",
        "p.txt:1: '# Query:' has no '# Answer:': another '# Query:' follows on line 5")]
    [InlineData("# Query:\n```\nHi\n```\n# Answer:\n```\nHello\n```\n\n# Query:\n```\nMore\n```\n", "p.txt:10: '# Query:' has no '# Answer:': the file ends")]
    [InlineData("# Query:\n```\nHi\n```\n# Assistant:\n```\nHello\n```\n", "p.txt:5: '# Assistant:' mixes header pairs: line 1 uses '# Query:' / '# Answer:'")]
    [InlineData("Be nice.\n\n# Query:\n```\nHi\n```\n# Answer:\n```\nHello\n```\n", "p.txt:1: expected a '# Instruction' preamble or a '# Query:' example, found 'Be nice.'")]
    [InlineData("\n\n{\"id\": 1}\n", "p.txt:3: expected a '# Instruction' preamble or a '# Query:' example, found '{\"id\": 1}'")]
    [InlineData("# Query:\n```\nHi\n``` and more\n# Answer:\n```\nHello\n```\n", "p.txt:4: text after the closing ``` fence: 'and more'")]
    [InlineData("# Query:\n```\nHi\n```\n# Answer:\n\n\n# Query:\n```\nAgain\n```\n# Answer:\n```\nHello\n```\n", "p.txt:5: the '# Answer:' block is empty")]
    [InlineData("# Query:\n```\n  \n```\n# Answer:\n```\nHello\n```\n", "p.txt:1: the '# Query:' block is empty")]
    [InlineData("# Query:\n```\nHi\n```\n# Answer:\n\nHello\n", "p.txt:7: expected a ``` fence after '# Answer:' (the prompt's first block is fenced)")]
    public void A_malformed_prompt_is_one_line_naming_the_file_and_line(string text, string expected)
        => Assert.Equal(expected, ErrorOf(text));

    [Fact]
    public void A_file_that_is_not_UTF8_names_the_offset_and_an_empty_file_is_refused()
    {
        using var scratch = new ScratchDirectory();
        var binary = scratch.File("bad.txt");
        File.WriteAllBytes(binary, [.. Encoding.UTF8.GetBytes("# Query:\n"), 0xFF, 0x0A]);
        Assert.Equal($"{binary}: not UTF-8 text (invalid byte at offset 9)", Assert.Throws<UrialPromptException>(() => UrialPromptParser.Load(binary)).Message);
        var empty = scratch.Write("empty.txt", " \n\n");
        Assert.Equal($"{empty}:1: the prompt file is empty: expected a '# Instruction' preamble or '# Query:' examples",
            Assert.Throws<UrialPromptException>(() => UrialPromptParser.Load(empty)).Message);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_and_counted_in_offsets()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("bom.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("# Instruction\n\nHelp.\n")]);
        Assert.Equal("# Instruction\n\nHelp.\n", UrialPromptParser.Load(path).Render());
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("# Instruction\n"), 0xC3]);
        Assert.Equal($"{path}: not UTF-8 text (invalid byte at offset 17)", Assert.Throws<UrialPromptException>(() => UrialPromptParser.Load(path)).Message);
    }

    [Fact]
    public void A_file_too_large_for_a_prompt_is_refused_before_it_is_read()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("huge.txt");
        using (var file = File.Create(path))
        {
            file.SetLength(UrialPromptParser.MaxFileBytes + 1L);
        }
        Assert.Equal($"{path}: {UrialPromptParser.MaxFileBytes + 1L} bytes, more than the limit of {UrialPromptParser.MaxFileBytes} bytes for a prompt file",
            Assert.Throws<UrialPromptException>(() => UrialPromptParser.Load(path)).Message);
    }
}
