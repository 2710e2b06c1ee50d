using System.Globalization;
using AlignLab.JustEval;

namespace AlignLab.Pluralism.Coverage;

/// <summary>What a coverage run would send (<c>--dry-run</c>): questions, those cached, requests within the cap, and rough token counts (as <see cref="JudgeEstimate"/> counts them).</summary>
public static class CoverageEstimate
{
    public static string Describe(IReadOnlyList<CoverageItem> items, IReadOnlySet<string> cachedKeys, CoverageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(cachedKeys);
        ArgumentNullException.ThrowIfNull(settings);
        var toAsk = items.Where(i => !cachedKeys.Contains(i.Key)).ToList();
        var cap = settings.MaxRequests ?? int.MaxValue;
        var sent = toAsk.Take(cap).ToList();
        var promptTokens = sent.Sum(i => CoveragePrompts.Conversation(i.Task, i.Instruction, i.Reference, i.Answer)
            .Sum(t => ((long)t.Content.Length / JudgeEstimate.CharactersPerToken) + JudgeEstimate.TokensPerMessage));
        var byTask = string.Join(", ", Enum.GetValues<CoverageTask>().Select(t => string.Create(CultureInfo.InvariantCulture, $"{items.Count(i => i.Task == t)} {CoverageTasks.Name(t)}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"{items.Count} judge questions ({byTask}), {items.Count - toAsk.Count} answered before: {sent.Count} requests (up to {Math.Min(cap, 2L * toAsk.Count)} with retries), about {promptTokens:N0} prompt tokens (at {JudgeEstimate.CharactersPerToken} characters a token) and at most {(long)sent.Count * settings.MaxNewTokens:N0} completion tokens");
    }
}
