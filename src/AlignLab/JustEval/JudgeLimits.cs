using System.Globalization;

namespace AlignLab.JustEval;

/// <summary>The ranges of the settings every judge run has: the reply limit, requests at once and the request cap.</summary>
public static class JudgeLimits
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public static void Validate(int maxNewTokens, int concurrency, int? maxRequests)
    {
        if (maxNewTokens is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens), string.Create(CultureInfo.InvariantCulture, $"the judge's reply limit {maxNewTokens} must be within 1 to 1000000 tokens"));
        }
        if (concurrency is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(concurrency), string.Create(CultureInfo.InvariantCulture, $"concurrency {concurrency} must be within 1 to 256"));
        }
        if (maxRequests is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRequests), string.Create(CultureInfo.InvariantCulture, $"the request cap {maxRequests} must not be negative"));
        }
    }
}
