using System.Security.Cryptography;
using System.Text;
using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// Wraps every request: the API key check (all paths but /health), and the mapping of failures to OpenAI-style
/// error bodies — an <see cref="ApiException"/> with its status, anything else a 500. A client that went away
/// gets nothing (its generation was already dropped). Once a stream has started, an error is sent as one more
/// event, {"error": ...}, as vLLM does.
/// </summary>
internal sealed class ApiGuard(string? apiKey, ServerStats stats)
{
    private readonly byte[]? _expected = apiKey is null ? null : Encoding.UTF8.GetBytes("Bearer " + apiKey);

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        stats.RequestArrived();
        try
        {
            if (_expected is not null && http.Request.Path != "/health" && !Authorized(http.Request))
            {
                throw new ApiException(StatusCodes.Status401Unauthorized, "missing or wrong API key: send Authorization: Bearer KEY", "authentication_error", null, "invalid_api_key");
            }
            await next(http).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever broke once the client left (a cancelled wait, a write to a closed socket) has nobody to answer.
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // The client is gone; its sequences were dropped through the same token.
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(http, e).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A bug must still reach the client as an OpenAI error, not a dropped connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await WriteErrorAsync(http, new ApiException(StatusCodes.Status500InternalServerError, "internal error: " + e.Message, "server_error")).ConfigureAwait(false);
        }
        finally
        {
            stats.RequestAnswered();
        }
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expected);
    }

    private static async Task WriteErrorAsync(HttpContext http, ApiException error)
    {
        try
        {
            if (http.Response.HasStarted)
            {
                var sse = new SseStream(http.Response);
                await sse.WriteAsync(json => JsonOutput.Error(json, error), http.RequestAborted).ConfigureAwait(false);
                await sse.DoneAsync(http.RequestAborted).ConfigureAwait(false);
                return;
            }
            if (error.Status == StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = "1";
            }
            await JsonOutput.WriteAsync(http.Response, error.Status, json => JsonOutput.Error(json, error), http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left while the error was being written.
        }
    }
}
