using AlignLab.Backends;
using AlignLab.Engine.Generation;
using AlignLab.AnswerSets;

namespace AlignLab.Tests.AnswerSets;

public class SampleChoiceTests
{
    private static AnswerSample Done(string text) => new(text, AnswerEnd.Stopped, 10);

    private static int ChosenWith(AnswerSample[] samples, ulong seed) => SampleChoice.Choose(samples, new SamplingRandom(seed)).Chosen;

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
        AnswerSample[] samples = [new("cut", AnswerEnd.MaxTokens, 10), Done(loop), Done("A fine answer."), new("Also fine.", AnswerEnd.EndOfTurn, 10), new("full", AnswerEnd.ContextFull, 10)];
        for (ulong seed = 0; seed < 50; seed++)
        {
            var (chosen, verdicts) = SampleChoice.Choose(samples, new SamplingRandom(seed));
            Assert.Equal([SampleVerdict.Truncated, SampleVerdict.Repetitive, SampleVerdict.Kept, SampleVerdict.Kept, SampleVerdict.Truncated], verdicts);
            Assert.Contains(chosen, new[] { 2, 3 });
        }
    }

    [Fact]
    public void The_choice_is_fixed_by_the_generator_and_reaches_every_candidate()
    {
        AnswerSample[] samples = [Done("a"), Done("b"), Done("c"), Done("d")];
        var picks = Enumerable.Range(0, 200).Select(seed => ChosenWith(samples, (ulong)seed)).ToArray();
        Assert.Equal(picks, Enumerable.Range(0, 200).Select(seed => ChosenWith(samples, (ulong)seed)));
        Assert.Equal([0, 1, 2, 3], picks.Distinct().Order());
    }

    [Fact]
    public void When_every_sample_is_dropped_the_choice_falls_back_to_untruncated_then_to_all()
    {
        const string loop = "x y z x y z x y z x y z x y z x y z x y z";
        AnswerSample[] repetitiveOrCut = [new("cut", AnswerEnd.MaxTokens, 10), Done(loop)];
        Assert.All(Enumerable.Range(0, 20), seed => Assert.Equal(1, ChosenWith(repetitiveOrCut, (ulong)seed)));
        AnswerSample[] allCut = [new("a", AnswerEnd.MaxTokens, 10), new("b", AnswerEnd.ContextFull, 10)];
        Assert.Equal([0, 1], Enumerable.Range(0, 50).Select(seed => ChosenWith(allCut, (ulong)seed)).Distinct().Order());
    }
}
