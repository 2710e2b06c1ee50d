using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>Reads a request body as JSON, refusing more than the server's limit before it is all read.</summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancel)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            throw ApiException.BadRequest("the request body is empty: a JSON object is expected", null, "invalid_json");
        }
        return RequestFields.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static ApiException TooLarge(long maxBytes)
        => new(StatusCodes.Status413PayloadTooLarge, string.Create(CultureInfo.InvariantCulture,
            $"the request body exceeds the server's limit of {maxBytes} bytes"), ApiException.InvalidRequest, null, "request_too_large");
}
