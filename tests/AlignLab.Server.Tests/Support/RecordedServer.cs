using System.Net;
using System.Text;
using System.Text.Json;

namespace AlignLab.Server.Tests.Support;

/// <summary>
/// A fake OpenAI-compatible server in an <see cref="HttpMessageHandler"/>: each route answers from a recorded
/// file under Fixtures/ (or a literal body), chosen by a function of the request's JSON body. It keeps the
/// requests it saw, and how many were in flight at most.
/// </summary>
internal sealed class RecordedServer : HttpMessageHandler
{
    private readonly Dictionary<string, Func<JsonElement?, Reply>> _routes = new(StringComparer.Ordinal);
    private int _inFlight;

    public List<(string Route, JsonElement? Body)> Requests { get; } = [];

    public int MostInFlight { get; private set; }

    /// <summary>A pause before every answer (for the concurrency limit and timeouts).</summary>
    public TimeSpan Delay { get; init; }

    public RecordedServer On(string method, string path, Func<JsonElement?, Reply> reply)
    {
        _routes[method + " " + path] = reply;
        return this;
    }

    public RecordedServer On(string method, string path, Reply reply) => On(method, path, _ => reply);

    public static string Fixture(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relative));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var route = request.Method.Method + " " + request.RequestUri!.AbsolutePath;
        JsonElement? body = request.Content is null ? null : JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
        lock (Requests)
        {
            Requests.Add((route, body));
            MostInFlight = Math.Max(MostInFlight, ++_inFlight);
        }
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }
            var reply = _routes.TryGetValue(route, out var answer) ? answer(body) : Reply.Json(404, """{"detail": "Not Found"}""");
            var response = new HttpResponseMessage((HttpStatusCode)reply.Status)
            {
                Content = new StringContent(reply.Body, Encoding.UTF8, reply.ContentType),
            };
            if (reply.RetryAfter is { } after)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
            }
            return response;
        }
        finally
        {
            lock (Requests)
            {
                _inFlight--;
            }
        }
    }
}

/// <summary>One recorded answer.</summary>
internal sealed record Reply(int Status, string Body, string ContentType, TimeSpan? RetryAfter = null)
{
    public static Reply File(string relative, int status = 200) => new(status, RecordedServer.Fixture(relative), "application/json");

    public static Reply Json(int status, string body) => new(status, body, "application/json");

    public static Reply Events(string relative) => new(200, RecordedServer.Fixture(relative), "text/event-stream");
}
