using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

public class UrialAnswerCleanupTests
{
    [Theory]
    [InlineData("  Hello there.\n```\n", "Hello there.")]
    [InlineData("Use ```code``` here.", "Use code here.")]
    [InlineData("The plan.\n\n---\n#\n\n", "The plan.")]
    [InlineData("Thanks!\n* * *\n===\n~~~ \n", "Thanks!")]
    [InlineData("Part one.\n---\nPart two.", "Part one.\n---\nPart two.")]
    [InlineData("- item one\n- item two", "- item one\n- item two")]
    [InlineData("\n```\n---\n", "")]
    public void Cleanup_removes_fences_cuts_trailing_separators_and_trims(string raw, string expected)
        => Assert.Equal(expected, UrialAnswerCleanup.Clean(raw));
}
