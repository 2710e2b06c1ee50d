using System.Globalization;

namespace AlignLab.JustEval;

/// <summary>
/// What a run would send (<c>--dry-run</c>), computed without contacting the judge: one request per answer not in
/// the cache (up to the request cap), and as many again at most for retries; prompt tokens estimated at four
/// characters a token (plus a few per message), completion tokens bounded by the reply limit.
/// </summary>
public sealed record JudgeEstimate
{
    public const int CharactersPerToken = 4;

    /// <summary>Tokens a chat template adds around each message, roughly.</summary>
    public const int TokensPerMessage = 4;

    public required int Answers { get; init; }

    public required int Cached { get; init; }

    /// <summary>First requests the run would send: one per answer to judge, within the cap.</summary>
    public required int Requests { get; init; }

    /// <summary>Requests at most, retries included, within the cap.</summary>
    public required int MostRequests { get; init; }

    /// <summary>Estimated prompt tokens of the first requests.</summary>
    public required long PromptTokens { get; init; }

    /// <summary>Completion tokens at most of the first requests (the reply limit each).</summary>
    public required long MostCompletionTokens { get; init; }

    public static JudgeEstimate For(IReadOnlyList<JudgeItem> items, IReadOnlySet<string> cachedKeys, JudgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(cachedKeys);
        ArgumentNullException.ThrowIfNull(settings);
        var toJudge = items.Where(i => !cachedKeys.Contains(i.Key)).ToList();
        var cap = settings.MaxRequests ?? int.MaxValue;
        var sent = toJudge.Take(cap).ToList();
        var promptTokens = sent.Sum(i => settings.Prompts.Conversation(i.Mode, i.Record.Instruction, i.Output)
            .Sum(t => ((long)t.Content.Length / CharactersPerToken) + TokensPerMessage));
        return new JudgeEstimate
        {
            Answers = items.Count,
            Cached = items.Count - toJudge.Count,
            Requests = sent.Count,
            MostRequests = (int)Math.Min(cap, 2L * toJudge.Count),
            PromptTokens = promptTokens,
            MostCompletionTokens = (long)sent.Count * settings.MaxNewTokens,
        };
    }

    /// <summary>One line for the terminal.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Answers} answers, {Cached} judged before: {Requests} requests (up to {MostRequests} with retries), about {PromptTokens:N0} prompt tokens (at {CharactersPerToken} characters a token) and at most {MostCompletionTokens:N0} completion tokens");
}
