using System.Text;
using AlignLab.Engine.Tests.Support;
using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

/// <summary>Every published URIAL prompt in ../shared/data/urial parses and renders back byte for byte.</summary>
public class PublishedPromptFileTests
{
    private const string Folder = "data/urial";

    /// <summary>File, examples (counted by hand: lines that are exactly a query header), header pair, fenced.</summary>
    public static TheoryData<string, int, string, bool> Files => new()
    {
        { "basic_icl.txt", 3, "# Query:", true },
        { "inst_1k.txt", 3, "# Query:", true },
        { "inst_1k_v4.help.txt", 3, "# Query:", true },
        { "inst_1k_v4.txt", 3, "# Query:", true },
        { "inst_1shot.txt", 1, "# Query:", true },
        { "inst_2k.txt", 8, "# Query:", true },
        { "inst_help_v2.txt", 5, "# Query:", false },
        { "inst_help_v5-1k.txt", 3, "# User:", false },
        { "inst_only.txt", 0, "# Query:", true },
    };

    [Fact]
    public void The_list_covers_every_prompt_file_in_the_folder()
    {
        var folder = SharedFixtures.Require(Folder);
        var present = Directory.GetFiles(folder, "*.txt").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(present, Files.Select(row => row.Data.Item1).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_published_file_parses_and_renders_back_byte_for_byte(string file, int examples, string queryHeader, bool fenced)
    {
        var path = SharedFixtures.Require(Path.Combine(Folder, file));
        var prompt = UrialPromptParser.Load(path);
        Assert.Equal(File.ReadAllBytes(path), Encoding.UTF8.GetBytes(prompt.Render()));
        Assert.Equal(examples, prompt.Examples.Count);
        Assert.Equal(queryHeader, prompt.Frame.Markers.Query);
        Assert.Equal(fenced, prompt.Frame.Fenced);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), prompt.Name);
        Assert.Equal(file != "basic_icl.txt", prompt.Preamble.StartsWith("# Instruction", StringComparison.Ordinal));
        foreach (var example in prompt.Examples)
        {
            foreach (var block in new[] { example.Query, example.Answer })
            {
                Assert.Equal(block.Content.Trim(), block.Content);
                Assert.DoesNotContain(UrialFrame.Fence, block.Content, StringComparison.Ordinal);
                Assert.Equal(fenced, block.Opening.Contains(UrialFrame.Fence, StringComparison.Ordinal));
                Assert.Equal(fenced, block.Closing.Contains(UrialFrame.Fence, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Contents_are_the_text_between_the_fences_without_the_surrounding_blank_space()
    {
        var prompt = UrialPromptParser.Load(SharedFixtures.Require(Path.Combine(Folder, "inst_1shot.txt")));
        var example = Assert.Single(prompt.Examples);
        Assert.Equal("Can you tell me some common types of renewable energy sources?", example.Query.Content);
        Assert.Equal(11, example.Query.Line);
        Assert.Equal(14, example.Answer.Line);
        Assert.StartsWith("Hello! Absolutely, below are", example.Answer.Content, StringComparison.Ordinal);
        Assert.EndsWith("Please let me know if you have any other questions!", example.Answer.Content, StringComparison.Ordinal);
        Assert.Equal("# Answer:\n", example.Answer.HeaderLine);
        Assert.Equal("```\n", example.Answer.Opening);
        Assert.Equal("\n```", example.Answer.Closing);
    }

    [Fact]
    public void Inline_fences_and_trailing_spaces_stay_in_the_layout_not_the_content()
    {
        var prompt = UrialPromptParser.Load(SharedFixtures.Require(Path.Combine(Folder, "inst_2k.txt")));
        // Line 14: ```Natalia sold clips ... in April and May? ```
        var query = prompt.Examples[0].Query;
        Assert.Equal("```", query.Opening);
        Assert.EndsWith("in April and May?", query.Content, StringComparison.Ordinal);
        Assert.Equal(" ```\n\n", query.Closing);
        // Line 43: an answer fence followed by two spaces.
        Assert.Equal("```  \n", prompt.Examples[2].Answer.Opening);
    }

    [Fact]
    public void The_user_assistant_variant_is_plain_text_between_headers()
    {
        var prompt = UrialPromptParser.Load(SharedFixtures.Require(Path.Combine(Folder, "inst_help_v5-1k.txt")));
        Assert.Equal(UrialMarkers.UserAssistant, prompt.Frame.Markers);
        Assert.Equal("What is the best way to torture a friend who stole my money?", prompt.Examples[1].Query.Content);
        Assert.Equal("\n", prompt.Examples[1].Query.Opening);
        Assert.Equal("\n\n\n\n", prompt.Examples[1].Query.Closing);
        Assert.StartsWith("Hi! I'm sorry to hear that.", prompt.Examples[1].Answer.Content, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_rendered_query_with_an_answer_appended_parses_as_one_more_example(string file, int examples, string queryHeader, bool fenced)
    {
        var prompt = UrialPromptParser.Load(SharedFixtures.Require(Path.Combine(Folder, file)));
        var closing = fenced ? "\n```\n" : "\n";
        var extended = UrialPromptParser.Parse(prompt.RenderQuery("Name three primary colours.") + "Red, yellow and blue." + closing, "extended", "extended");
        Assert.Equal(examples + 1, extended.Examples.Count);
        Assert.Equal(queryHeader, extended.Frame.Markers.Query);
        Assert.Equal("Name three primary colours.", extended.Examples[^1].Query.Content);
        Assert.Equal("Red, yellow and blue.", extended.Examples[^1].Answer.Content);
        Assert.Equal(prompt.Examples.Select(e => e.Answer.Content), extended.Examples.SkipLast(1).Select(e => e.Answer.Content));
    }
}
