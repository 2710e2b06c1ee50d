using AlignLab.Engine.Generation;

namespace AlignLab.Engine.Tests.Inference.Generation;

public class StopStringMatcherTests
{
    private static (List<string> Released, bool Stopped) Feed(string[] stops, params string[] pieces)
    {
        var matcher = new StopStringMatcher(stops);
        var released = new List<string>();
        foreach (var piece in pieces)
        {
            var stopped = matcher.Push(piece, out var text);
            released.Add(text);
            if (stopped)
            {
                return (released, true);
            }
        }
        released.Add(matcher.Release());
        return (released, false);
    }

    [Fact]
    public void A_stop_string_spread_over_three_pieces_is_cut_and_never_released()
    {
        var (released, stopped) = Feed(["###"], "Hel", "lo #", "#", "# End");
        Assert.True(stopped);
        Assert.Equal(["Hel", "lo ", "", ""], released);
    }

    [Fact]
    public void Text_is_held_only_while_it_could_still_begin_a_stop_string()
    {
        var (released, stopped) = Feed(["abc"], "xa", "bd", "ab", "zz");
        Assert.False(stopped);
        // "a" waits; "abd" cannot start "abc"; "ab" waits; "abzz" cannot.
        Assert.Equal(["x", "abd", "", "abzz", ""], released);
    }

    [Fact]
    public void Text_held_at_the_end_is_released()
    {
        var (released, stopped) = Feed(["</answer>"], "the end</ans");
        Assert.False(stopped);
        Assert.Equal(["the end", "</ans"], released);
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_wins()
    {
        var (released, stopped) = Feed(["world", "lo w"], "hello", " world");
        Assert.True(stopped);
        Assert.Equal("hel", string.Concat(released));
    }

    [Fact]
    public void A_stop_string_inside_one_piece_cuts_that_piece()
    {
        var (released, stopped) = Feed(["\n\n# Query"], "Answer.", "\n\n# Query: next");
        Assert.True(stopped);
        Assert.Equal(["Answer.", ""], released);
    }

    [Fact]
    public void Without_stop_strings_everything_passes_through()
    {
        var (released, _) = Feed([], "a", "b");
        Assert.Equal(["a", "b", ""], released);
    }
}
