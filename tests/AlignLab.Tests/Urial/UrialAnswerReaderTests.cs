using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

/// <summary>Stopping on crafted model output, fed the way generation feeds it: one token's text at a time.</summary>
public class UrialAnswerReaderTests
{
    private static readonly UrialFrame Fenced = UrialFrame.Default;
    private static readonly UrialFrame Plain = new(UrialMarkers.UserAssistant, Fenced: false);

    /// <summary>Pushes pieces until the reader stops; returns the answer, whether it stopped, and how many pieces it took.</summary>
    private static (string Answer, bool Stopped, int Pieces) Read(UrialFrame frame, params string[] pieces)
    {
        var reader = new UrialAnswerReader(frame);
        var used = 0;
        foreach (var piece in pieces)
        {
            used++;
            if (reader.Push(piece))
            {
                break;
            }
        }
        return (reader.Finish(), reader.Stopped, used);
    }

    [Fact]
    public void The_closing_fence_ends_the_answer_as_soon_as_its_line_is_complete()
    {
        var (answer, stopped, pieces) = Read(Fenced, "Sure", "! Four", ".\n", "```", "\n", "\n# Query:", "never read");
        Assert.True(stopped);
        Assert.Equal(5, pieces);
        Assert.Equal("Sure! Four.\n", answer);
    }

    [Fact]
    public void A_fence_split_across_tokens_is_found()
    {
        var (answer, stopped, pieces) = Read(Fenced, "Done.\n`", "`", "`\n", "after");
        Assert.True(stopped);
        Assert.Equal(3, pieces);
        Assert.Equal("Done.\n", answer);
    }

    [Fact]
    public void A_code_block_inside_the_answer_does_not_end_it()
    {
        var (answer, stopped, _) = Read(Fenced, "Try this:\n```py", "thon\nprint('hi')\n", "```\n", "It prints hi.\n", "```\n\n# Query:");
        Assert.True(stopped);
        Assert.Equal("Try this:\n```python\nprint('hi')\n```\nIt prints hi.\n", answer);
        Assert.Equal("Try this:\npython\nprint('hi')\n\nIt prints hi.", UrialAnswerCleanup.Clean(answer));
    }

    [Fact]
    public void A_fence_at_the_end_of_a_line_of_text_closes_the_answer()
    {
        var (answer, stopped, _) = Read(Fenced, "The answer is 4.", "```", " \n", "# Answer");
        Assert.True(stopped);
        Assert.Equal("The answer is 4.", answer);
    }

    [Fact]
    public void The_next_query_header_split_across_tokens_ends_the_answer_and_is_not_kept()
    {
        var (answer, stopped, pieces) = Read(Plain, "Paris is the capital.\n\n\n#", " Qu", "ery:\n", "never read");
        Assert.True(stopped);
        Assert.Equal(3, pieces);
        Assert.Equal("Paris is the capital.\n\n\n", answer);
    }

    [Fact]
    public void A_user_header_ends_the_answer_in_either_frame()
    {
        Assert.Equal(("Bye.\n", true, 2), Read(Plain, "Bye.\n# Us", "er:"));
        Assert.Equal(("Bye.\n", true, 2), Read(Fenced, "Bye.\n# Us", "er:"));
    }

    [Fact]
    public void Fences_mean_nothing_in_a_plain_frame()
    {
        var (answer, stopped, _) = Read(Plain, "Code:\n```\nx = 1\n```\nDone.");
        Assert.False(stopped);
        Assert.Equal("Code:\n```\nx = 1\n```\nDone.", answer);
    }

    [Fact]
    public void An_answer_that_never_ends_is_all_kept_including_text_held_back_as_a_possible_stop()
    {
        var pieces = Enumerable.Repeat("and on ", 50).Append("and # Que").ToArray();
        var (answer, stopped, used) = Read(Fenced, pieces);
        Assert.False(stopped);
        Assert.Equal(pieces.Length, used);
        Assert.Equal(string.Concat(pieces), answer);
    }

    [Fact]
    public void A_fence_in_the_last_unfinished_line_still_cuts_at_the_end_of_the_stream()
    {
        var (answer, stopped, _) = Read(Fenced, "All done.\n", "``", "`");
        Assert.True(stopped);
        Assert.Equal("All done.\n", answer);
    }

    [Fact]
    public void Nothing_can_be_pushed_after_a_stop()
    {
        var reader = new UrialAnswerReader(Fenced);
        Assert.True(reader.Push("x\n```\n"));
        Assert.Throws<InvalidOperationException>(() => reader.Push("more"));
    }
}
