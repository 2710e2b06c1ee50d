namespace AlignLab.Engine.Hub;

/// <summary>
/// Where the hub is and where its cache lives, read from the same environment variables as
/// huggingface_hub, so both tools share one cache and one token.
/// </summary>
/// <param name="Endpoint">The hub's base URL (<c>HF_ENDPOINT</c>; default https://huggingface.co).</param>
/// <param name="Token">Sent as a bearer token to <paramref name="Endpoint"/> only; null for anonymous access.</param>
/// <param name="CacheDirectory">The hub cache (<c>HF_HUB_CACHE</c>, else <c>HF_HOME</c>/hub, else ~/.cache/huggingface/hub).</param>
public sealed record HubSettings(Uri Endpoint, string? Token, string CacheDirectory)
{
    public const string DefaultEndpoint = "https://huggingface.co";

    public static HubSettings FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the settings through <paramref name="getenv"/> (tests pass their own).</summary>
    public static HubSettings FromEnvironment(Func<string, string?> getenv)
    {
        ArgumentNullException.ThrowIfNull(getenv);
        string? Get(string name) => getenv(name) is { Length: > 0 } value ? value : null;
        var home = Get("HF_HOME") ?? Path.Combine(
            Get("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "huggingface");
        var endpointText = (Get("HF_ENDPOINT") ?? DefaultEndpoint).TrimEnd('/');
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new HubException($"HF_ENDPOINT \"{endpointText}\" is not an http(s) URL");
        }
        return new HubSettings(endpoint, Get("HF_TOKEN") ?? ReadTokenFile(Get("HF_TOKEN_PATH") ?? Path.Combine(home, "token")),
            Get("HF_HUB_CACHE") ?? Path.Combine(home, "hub"));
    }

    /// <summary>The file <c>huggingface-cli login</c> writes.</summary>
    private static string? ReadTokenFile(string path)
        => File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
}
