using System.Globalization;

namespace AlignLab.Backends.Remote;

/// <summary>How a model behind an OpenAI-compatible server (<c>http(s)://HOST:PORT/v1#MODEL</c>) is used.</summary>
public sealed record RemoteModelOptions
{
    /// <summary>
    /// A local model reference (GGUF file, model folder or cached hub id; weights not needed) whose tokenizer,
    /// chat template and vocabulary size stand in for the server's. Null: the server's /tokenize, /detokenize
    /// and /vocabulary (vLLM has the first two; /vocabulary is alignlab serve's).
    /// </summary>
    public string? Tokenizer { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer KEY</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Longest one attempt of a request may take (a whole generation). Default 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries after a 429, a 5xx, a timeout or a failed connection, with exponential backoff and jitter. Default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first retry's delay (doubling after); a server's Retry-After wins. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most requests in flight to the server at once. Default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Largest response body (or one streamed event) read, in bytes. Default 256 MiB.</summary>
    public long MaxResponseBytes { get; init; } = 256L << 20;

    /// <summary>The transport, for tests and custom setups; null: a new <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), string.Create(CultureInfo.InvariantCulture, $"the timeout {Timeout} must be positive"));
        }
        if (MaxRetries is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), string.Create(CultureInfo.InvariantCulture, $"retries {MaxRetries} must be within 0 to 100"));
        }
        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), string.Create(CultureInfo.InvariantCulture, $"the retry delay {RetryDelay} must not be negative"));
        }
        if (Concurrency is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(Concurrency), string.Create(CultureInfo.InvariantCulture, $"concurrency {Concurrency} must be within 1 to 1024"));
        }
        if (MaxResponseBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), string.Create(CultureInfo.InvariantCulture, $"the response limit {MaxResponseBytes} must be at least 1024 bytes"));
        }
    }
}
