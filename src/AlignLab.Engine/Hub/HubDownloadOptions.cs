namespace AlignLab.Engine.Hub;

/// <summary>Retry behaviour of a pull.</summary>
public sealed record HubDownloadOptions
{
    /// <summary>Tries per file, resuming each time from the bytes already on disk.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A connection that sends nothing for this long is dropped and resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
