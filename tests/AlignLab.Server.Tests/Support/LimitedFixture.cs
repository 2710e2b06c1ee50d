namespace AlignLab.Server.Tests.Support;

/// <summary>A server with an API key and tight limits: one sequence at a time, one waiting, 4 KiB bodies, 64-token context.</summary>
public sealed class LimitedFixture : ServedFixture
{
    public const string Key = "secret-key";

    protected override ServerOptions Options(string model) => base.Options(model) with
    {
        ApiKey = Key,
        MaxConcurrency = 1,
        MaxQueuedSequences = 1,
        MaxRequestBytes = 4096,
        ContextSize = 64,
    };
}
