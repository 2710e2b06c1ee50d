namespace AlignLab.JustEval;

/// <summary>An aspect a reply gave no valid score for, and why ("the score \"7\" is not within 1 to 5").</summary>
public sealed record AspectProblem(string Aspect, string Problem)
{
    public override string ToString() => Aspect + ": " + Problem;
}

/// <summary>What a judge's reply gave: a valid score for some or all of the aspects asked for, and what was wrong with the rest.</summary>
public sealed record ParsedReply(IReadOnlyDictionary<string, AspectScore> Scores, IReadOnlyList<AspectProblem> Problems)
{
    /// <summary>Whether every aspect asked for has a valid score.</summary>
    public bool IsComplete => Problems.Count == 0;

    /// <summary>"depth: no score; safety: ..." for the aspects without a valid score.</summary>
    public string DescribeProblems() => string.Join("; ", Problems);

    /// <summary>These scores with <paramref name="retry"/>'s added, the retry's winning where both have one.</summary>
    public ParsedReply UpdatedBy(ParsedReply retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var scores = new Dictionary<string, AspectScore>(Scores, StringComparer.Ordinal);
        foreach (var (aspect, score) in retry.Scores)
        {
            scores[aspect] = score;
        }
        return new ParsedReply(scores, [.. retry.Problems.Where(p => !scores.ContainsKey(p.Aspect))]);
    }
}
