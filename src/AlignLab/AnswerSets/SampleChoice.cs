using AlignLab.Backends;
using AlignLab.Engine.Generation;

namespace AlignLab.AnswerSets;

/// <summary>Why a sample was or was not eligible to be the answer.</summary>
public enum SampleVerdict
{
    Kept,

    /// <summary>It ended truncated (token limit or context), so it may be unfinished.</summary>
    Truncated,

    /// <summary>It repeats a run of <see cref="SampleChoice.NgramLength"/> words more than <see cref="SampleChoice.MaxRepeats"/> times.</summary>
    Repetitive,
}

/// <summary>One generated sample: its cleaned text, how it ended and how many tokens the model generated.</summary>
public sealed record AnswerSample(string Text, AnswerEnd End, int TokenCount)
{
    /// <summary>Cut off by the token limit or the context, so possibly unfinished.</summary>
    public bool Truncated => End is AnswerEnd.MaxTokens or AnswerEnd.ContextFull;
}

/// <summary>
/// Picks one answer among several samples, as URIAL's published filter does: samples that end truncated or
/// that repeat a 6-word run more than twice are dropped, and one of the rest is drawn. When every sample is
/// dropped the draw falls back, as the published filter does, to the samples that are not truncated, then
/// to all of them. The draw comes from the caller's generator: a run seeds one per item from its seed and the
/// item's position in the data, so a resumed run picks exactly what an uninterrupted one would.
/// </summary>
public static class SampleChoice
{
    public const int NgramLength = 6;

    public const int MaxRepeats = 2;

    public static SampleVerdict Judge(AnswerSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return sample.Truncated ? SampleVerdict.Truncated
            : RepeatsNgram(sample.Text) ? SampleVerdict.Repetitive
            : SampleVerdict.Kept;
    }

    /// <summary>
    /// Whether some run of <see cref="NgramLength"/> consecutive words occurs more than <see cref="MaxRepeats"/>
    /// times. Words are split at whitespace, and each line break counts as a word of its own (as in the
    /// published filter), so repeated lines are caught too.
    /// </summary>
    public static bool RepeatsNgram(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Replace("\n", " \n ", StringComparison.Ordinal).Split([' ', '\t', '\r', '\f', '\v'], StringSplitOptions.RemoveEmptyEntries);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + NgramLength <= words.Length; i++)
        {
            var ngram = string.Join(' ', words, i, NgramLength);
            var count = counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            if (count > MaxRepeats)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The index of the chosen sample, and every sample's verdict.</summary>
    public static (int Chosen, IReadOnlyList<SampleVerdict> Verdicts) Choose(IReadOnlyList<AnswerSample> samples, SamplingRandom random)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(random);
        if (samples.Count == 0)
        {
            throw new ArgumentException("there are no samples to choose from", nameof(samples));
        }
        var verdicts = samples.Select(Judge).ToArray();
        int[] candidates = [.. Indices(verdicts, v => v == SampleVerdict.Kept)];
        if (candidates.Length == 0)
        {
            candidates = [.. Indices(verdicts, v => v != SampleVerdict.Truncated)];
        }
        if (candidates.Length == 0)
        {
            candidates = [.. Enumerable.Range(0, samples.Count)];
        }
        return (candidates[(int)(random.NextUInt64() % (ulong)candidates.Length)], verdicts);
    }

    private static IEnumerable<int> Indices(SampleVerdict[] verdicts, Func<SampleVerdict, bool> eligible)
        => Enumerable.Range(0, verdicts.Length).Where(i => eligible(verdicts[i]));
}
