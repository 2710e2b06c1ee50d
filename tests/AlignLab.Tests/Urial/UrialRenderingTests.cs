using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

/// <summary>Queries and conversations appended to a prompt, in its frame, ending where the answer begins.</summary>
public class UrialRenderingTests
{
    private static UrialPrompt Parse(string text) => UrialPromptParser.Parse(text, "p.txt", "p");

    [Fact]
    public void The_zero_prompt_is_the_frame_alone()
        => Assert.Equal("# Query:\n```\nWhat is 2+2?\n```\n\n# Answer:\n```\n", UrialPrompts.BuiltIn("zero").RenderQuery("What is 2+2?"));

    [Fact]
    public void A_conversation_renders_as_consecutive_query_answer_pairs()
        => Assert.Equal(
            "# Query:\n```\nHi\n```\n\n# Answer:\n```\nHello!\n```\n\n# Query:\n```\nHow are you?\n```\n\n# Answer:\n```\n",
            UrialPrompts.BuiltIn("zero").RenderConversation(["Hi", "Hello!", "How are you?"]));

    [Fact]
    public void The_prompt_trailing_blank_space_is_replaced_by_one_separator()
    {
        var prompt = Parse("# Instruction\n\nBe brief.\n\n\n");
        Assert.Equal("# Instruction\n\nBe brief.\n\n# Query:\n```\nQ\n```\n\n# Answer:\n```\n", prompt.RenderQuery("Q"));
    }

    [Fact]
    public void A_plain_user_assistant_prompt_gets_its_own_layout()
    {
        var prompt = Parse("# User:\n\nHi\n\n\n\n# Assistant:\n\nHello!\n");
        Assert.Equal("# User:\n\nHi\n\n\n\n# Assistant:\n\nHello!\n\n\n\n# User:\n\nWhy?\n\n\n\n# Assistant:\n\n", prompt.RenderQuery("Why?"));
    }

    [Fact]
    public void Turn_texts_are_written_as_given()
        => Assert.Equal("# Query:\n```\n  two\nlines \n```\n\n# Answer:\n```\n", UrialPrompts.BuiltIn("zero").RenderQuery("  two\nlines "));

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_conversation_must_end_with_a_query(int turns)
    {
        var error = Assert.Throws<ArgumentException>(() => UrialPrompts.BuiltIn("zero").RenderConversation([.. Enumerable.Repeat("x", turns)]));
        Assert.Contains("odd number of turns", error.Message, StringComparison.Ordinal);
    }
}
