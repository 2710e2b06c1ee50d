using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

public class SampleChoiceTests
{
    private static AnswerSample Done(string text) => new(text, AnswerEnd.Stop);

    [Fact]
    public void A_six_word_run_repeated_three_times_is_repetitive_twice_is_not()
    {
        const string run = "the cat sat on the mat ";
        Assert.False(SampleChoice.RepeatsNgram(run + run + "and stopped."));
        Assert.True(SampleChoice.RepeatsNgram(run + run + run));
        // Five words repeated any number of times never make a repeated six-word run with different neighbours.
        Assert.False(SampleChoice.RepeatsNgram("a b c d e 1 a b c d e 2 a b c d e 3 a b c d e 4"));
    }

    [Fact]
    public void Line_breaks_count_as_words()
    {
        // The same five words on three lines: with the line break as the sixth word the run repeats thrice.
        Assert.True(SampleChoice.RepeatsNgram("one two three four five\none two three four five\none two three four five\nend"));
        Assert.False(SampleChoice.RepeatsNgram("one two three four five one two three four five one two three four five end"));
    }

    [Fact]
    public void Truncated_and_repetitive_samples_are_never_chosen_while_a_clean_one_exists()
    {
        const string loop = "go on and on and on go on and on and on go on and on and on go on and on and on";
        AnswerSample[] samples = [new("cut", AnswerEnd.Truncated), Done(loop), Done("A fine answer."), new("Also fine.", AnswerEnd.EndOfText)];
        for (var item = 0; item < 50; item++)
        {
            var (chosen, verdicts) = SampleChoice.Choose(samples, seed: 7, item);
            Assert.Equal([SampleVerdict.Truncated, SampleVerdict.Repetitive, SampleVerdict.Kept, SampleVerdict.Kept], verdicts);
            Assert.Contains(chosen, new[] { 2, 3 });
        }
    }

    [Fact]
    public void The_choice_is_fixed_by_seed_and_item_and_varies_across_items()
    {
        AnswerSample[] samples = [Done("a"), Done("b"), Done("c"), Done("d")];
        var picks = Enumerable.Range(0, 200).Select(item => SampleChoice.Choose(samples, 42, item).Chosen).ToArray();
        Assert.Equal(picks, Enumerable.Range(0, 200).Select(item => SampleChoice.Choose(samples, 42, item).Chosen));
        Assert.Equal([0, 1, 2, 3], picks.Distinct().Order());
        var otherSeed = Enumerable.Range(0, 200).Select(item => SampleChoice.Choose(samples, 43, item).Chosen);
        Assert.NotEqual(picks, otherSeed);
    }

    [Fact]
    public void When_every_sample_is_dropped_the_choice_falls_back_to_untruncated_then_to_all()
    {
        const string loop = "x y z x y z x y z x y z x y z x y z x y z";
        AnswerSample[] repetitiveOrCut = [new("cut", AnswerEnd.Truncated), Done(loop)];
        Assert.All(Enumerable.Range(0, 20), item => Assert.Equal(1, SampleChoice.Choose(repetitiveOrCut, 1, item).Chosen));
        AnswerSample[] allCut = [new("a", AnswerEnd.Truncated), new("b", AnswerEnd.Truncated)];
        Assert.Equal([0, 1], Enumerable.Range(0, 50).Select(item => SampleChoice.Choose(allCut, 1, item).Chosen).Distinct().Order());
    }
}
