using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AlignLab.Backends.Remote;

/// <summary>
/// JSON over HTTP to an OpenAI-compatible server: at most <see cref="RemoteModelOptions.Concurrency"/> requests
/// in flight, each attempt bounded by <see cref="RemoteModelOptions.Timeout"/>, retried with exponential backoff
/// and jitter (Polly) after a 429, a 5xx, a timeout or a failed connection (a server's Retry-After wins, up to a
/// minute). Bodies are read up to <see cref="RemoteModelOptions.MaxResponseBytes"/>. Failures are
/// <see cref="RemoteModelException"/>s naming the URL; an error answer carries its status and the server's message.
/// </summary>
internal sealed class OpenAiHttp : IDisposable
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<Answer> _pipeline;
    private readonly SemaphoreSlim _slots;
    private readonly RemoteModelOptions _options;

    /// <param name="apiBase">The API's base, e.g. http://host:8000/v1 (the part before '#').</param>
    /// <param name="options">Limits, retries and the transport.</param>
    public OpenAiHttp(Uri apiBase, RemoteModelOptions options)
    {
        _options = options;
        var baseText = apiBase.AbsoluteUri.TrimEnd('/');
        ApiBase = new Uri(baseText + "/");
        // vLLM serves /tokenize and /detokenize beside /v1, at the server's root.
        Root = new Uri(baseText.EndsWith("/v1", StringComparison.Ordinal) ? baseText[..^2] : baseText + "/");
        _http = options.Handler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // the pipeline's timeout applies per attempt
        if (options.ApiKey is { } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        _pipeline = BuildPipeline(options);
    }

    /// <summary>http://host:port/v1/</summary>
    public Uri ApiBase { get; }

    /// <summary>http://host:port/</summary>
    public Uri Root { get; }

    public async Task<ResponseJson> GetAsync(Uri url, CancellationToken cancel)
    {
        var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), url, stream: false, cancel).ConfigureAwait(false);
        return Parse(answer.Body!, url);
    }

    public async Task<ResponseJson> PostAsync(Uri url, byte[] body, CancellationToken cancel)
    {
        var answer = await SendAsync(() => Post(url, body), url, stream: false, cancel).ConfigureAwait(false);
        return Parse(answer.Body!, url);
    }

    /// <summary>
    /// POSTs a streaming request and yields each server-sent event's JSON until "[DONE]" or the end of the body.
    /// An event that is an error object ({"error": ...}) ends the stream with a <see cref="RemoteModelException"/>.
    /// Stopping the enumeration early closes the connection (the server then stops generating).
    /// </summary>
    public async IAsyncEnumerable<ResponseJson> StreamAsync(Uri url, byte[] body, [EnumeratorCancellation] CancellationToken cancel)
    {
        await _slots.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var answer = await SendCoreAsync(() => Post(url, body), url, stream: true, cancel).ConfigureAwait(false);
            using var response = answer.Response!;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(_options.Timeout);
            await using var content = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var lines = new SseLineReader(content, _options.MaxResponseBytes, url);
            while (await ReadLineAsync(lines, url, deadline.Token, cancel).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue; // comments, event names, blank separators
                }
                var data = line[5..].Trim();
                if (data == "[DONE]")
                {
                    yield break;
                }
                var json = Parse(Encoding.UTF8.GetBytes(data), url);
                if (json.Value.ValueKind == JsonValueKind.Object && json.Value.TryGetProperty("error", out var error))
                {
                    throw new RemoteModelException($"{url}: the stream ended with an error: {ErrorMessage(error)}");
                }
                yield return json;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }

    private async Task<string?> ReadLineAsync(SseLineReader lines, Uri url, CancellationToken deadline, CancellationToken cancel)
    {
        try
        {
            return await lines.ReadLineAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new RemoteModelException(string.Create(CultureInfo.InvariantCulture,
                $"{url}: the stream did not end within the timeout of {_options.Timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException e)
        {
            throw new RemoteModelException($"{url}: the stream broke: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new RemoteModelException($"{url}: the stream broke: {e.Message}", e);
        }
    }

    private async Task<Answer> SendAsync(Func<HttpRequestMessage> make, Uri url, bool stream, CancellationToken cancel)
    {
        await _slots.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await SendCoreAsync(make, url, stream, cancel).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>One request through the retry pipeline; a success answer (with its body read, or its open response for a stream), or an exception.</summary>
    private async Task<Answer> SendCoreAsync(Func<HttpRequestMessage> make, Uri url, bool stream, CancellationToken cancel)
    {
        Answer answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(async token =>
            {
                using var request = make();
                var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                if (stream && response.IsSuccessStatusCode)
                {
                    return new Answer(response.StatusCode, null, null, response);
                }
                using (response)
                {
                    var body = await ReadBodyAsync(response, url, token).ConfigureAwait(false);
                    return new Answer(response.StatusCode, response.Headers.RetryAfter, body, null);
                }
            }, cancel).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new RemoteModelException(string.Create(CultureInfo.InvariantCulture,
                $"{url}: no answer within {_options.Timeout.TotalSeconds:0.#} s ({_options.MaxRetries} retries)"), e);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteModelException($"{url}: cannot reach the server: {e.Message}", e);
        }
        if ((int)answer.Status is < 200 or > 299)
        {
            throw new RemoteModelException(string.Create(CultureInfo.InvariantCulture,
                $"{url}: HTTP {(int)answer.Status} ({answer.Status}): {ErrorText(answer.Body!)}"), (int)answer.Status);
        }
        return answer;
    }

    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, Uri url, CancellationToken cancel)
    {
        var limit = _options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(url, limit);
        }
        await using var content = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await content.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(url, limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static RemoteModelException TooLarge(Uri url, long limit)
        => new(string.Create(CultureInfo.InvariantCulture, $"{url}: the answer exceeds the limit of {limit} bytes"));

    private static HttpRequestMessage Post(Uri url, byte[] body)
        => new(HttpMethod.Post, url) { Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } };

    private static ResponseJson Parse(byte[] body, Uri url)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return new ResponseJson(document.RootElement.Clone(), "", url.ToString());
        }
        catch (JsonException e)
        {
            throw new RemoteModelException(string.Create(CultureInfo.InvariantCulture,
                $"{url}: the answer is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"), e);
        }
    }

    /// <summary>The message of an error body: OpenAI's and vLLM's {"error": {"message"}}, {"message"}, {"detail"}, or the start of the text.</summary>
    private static string ErrorText(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    return ErrorMessage(error);
                }
                foreach (var name in new[] { "message", "detail" })
                {
                    if (root.TryGetProperty(name, out var message))
                    {
                        return Shorten(message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText());
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself says what went wrong.
        }
        return Shorten(Encoding.UTF8.GetString(body));
    }

    private static string ErrorMessage(JsonElement error)
        => Shorten(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            ? message.GetString()!
            : error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText());

    private static string Shorten(string text)
    {
        const int Limit = 500;
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 ? "(no message)" : line.Length <= Limit ? line : line[..Limit] + "…";
    }

    private static ResiliencePipeline<Answer> BuildPipeline(RemoteModelOptions options)
    {
        var builder = new ResiliencePipelineBuilder<Answer>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<Answer>
            {
                ShouldHandle = new PredicateBuilder<Answer>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(a => a.Status == HttpStatusCode.TooManyRequests || (int)a.Status >= 500),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Response?.Dispose();
                    return default;
                },
            });
        }
        return builder.AddTimeout(options.Timeout).Build();
    }

    /// <summary>The server's Retry-After (seconds or a date), capped at a minute; null: the backoff's own delay.</summary>
    private static TimeSpan? RetryAfter(Answer? answer)
    {
        var header = answer?.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d && d > TimeSpan.Zero ? (d < MaxRetryAfter ? d : MaxRetryAfter) : null;
    }

    /// <summary>One attempt's outcome: its status, Retry-After, and its body (or, for a successful stream, the open response).</summary>
    private sealed record Answer(HttpStatusCode Status, RetryConditionHeaderValue? RetryAfter, byte[]? Body, HttpResponseMessage? Response);
}
