using System.Net;
using System.Net.Http.Headers;

namespace AlignLab.Engine.Hub;

/// <summary>
/// HTTP to the hub: the token goes to the hub's own host only (never to the CDN it redirects to),
/// redirects are followed by hand so the hub's headers on a redirect can be read, and failures
/// become one-line <see cref="HubException"/>s.
/// </summary>
internal sealed class HubHttp : IDisposable
{
    private const int MaxRedirects = 10;

    /// <summary>Messages for the hub's <c>X-Error-Code</c> header, which is more precise than the status.</summary>
    private static readonly Dictionary<string, string> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["GatedRepo"] = "gated repository: accept its conditions on the model page, then set HF_TOKEN to a token with access",
        ["RepoNotFound"] = "repository or revision not found (or private: set HF_TOKEN)",
        ["RevisionNotFound"] = "repository or revision not found",
        ["EntryNotFound"] = "file not found in this revision",
    };

    private readonly HttpClient _client;
    private readonly HubSettings _settings;

    public HubHttp(HubSettings settings)
    {
        _settings = settings;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("alignlab", "0.1"));
    }

    /// <summary>
    /// Sends a request, following redirects: all of them when <paramref name="followCrossHost"/>, else
    /// only those that stay on the same host (as huggingface_hub does for HEAD, so the redirect to the
    /// CDN and its X-Linked-* headers come back to the caller). Only ends in a 2xx or 3xx response.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string what, long rangeStart, bool followCrossHost, CancellationToken cancel)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            if (_settings.Token is not null && SameOrigin(uri, _settings.Endpoint))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Token);
            }
            if (rangeStart > 0)
            {
                request.Headers.Range = new RangeHeaderValue(rangeStart, null);
            }
            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (!followCrossHost && !SameOrigin(next, uri))
                {
                    return response;
                }
                response.Dispose();
                if (hop >= MaxRedirects)
                {
                    throw new HubException($"{what}: more than {MaxRedirects} redirects");
                }
                uri = next;
                continue;
            }
            if (code is >= 200 and < 300 || code == 416)
            {
                return response;
            }
            using (response)
            {
                throw Failure(response, what);
            }
        }
    }

    /// <summary>The body, refusing more than <paramref name="maxBytes"/>: a JSON answer has no reason to be huge.</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, long maxBytes, string what, CancellationToken cancel)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new HubException($"{what}: the answer is {response.Content.Headers.ContentLength} bytes, over the {maxBytes}-byte limit");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new HubException($"{what}: the answer is over the {maxBytes}-byte limit");
            }
        }
        return buffer.ToArray();
    }

    public static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    public void Dispose() => _client.Dispose();

    private static HubException Failure(HttpResponseMessage response, string what)
    {
        var code = (int)response.StatusCode;
        var errorCode = Header(response, "X-Error-Code");
        var problem = errorCode is not null && ErrorCodes.TryGetValue(errorCode, out var known)
            ? known
            : code switch
            {
                401 or 403 => "access denied: the repository is private, gated or missing; set HF_TOKEN to a token with access",
                404 => "repository or revision not found",
                _ => $"the server answered {response.ReasonPhrase}",
            };
        return new HubException($"{what}: {problem} (HTTP {code})");
    }

    private static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;
}
