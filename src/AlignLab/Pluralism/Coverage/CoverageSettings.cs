namespace AlignLab.Pluralism.Coverage;

/// <summary>How the coverage judge is asked: the judge's cache name, the reply limit, requests at once and at most, the cache file, and the stance questions.</summary>
public sealed record CoverageSettings
{
    /// <summary>The judge as cached verdicts name it (see <see cref="JustEval.JudgeIdentity"/>).</summary>
    public required string Judge { get; init; }

    /// <summary>The verdict cache (a <see cref="Runs.KeyedJsonlCache{T}"/> file).</summary>
    public required string CachePath { get; init; }

    /// <summary>Most tokens of one reply. Default 1024.</summary>
    public int MaxNewTokens { get; init; } = 1024;

    /// <summary>Requests in flight at once. Default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Most requests this run sends (retries included); null: no cap.</summary>
    public int? MaxRequests { get; init; }

    /// <summary>The contentious yes/no questions (instruction ids, see <see cref="StanceData"/>) whose answers get a stance; none by default.</summary>
    public IReadOnlySet<string> StanceIds { get; init; } = new HashSet<string>();

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate() => JustEval.JudgeLimits.Validate(MaxNewTokens, Concurrency, MaxRequests);
}
