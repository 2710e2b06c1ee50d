using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>Server-sent events as OpenAI streams them: "data: {json}" per chunk, "data: [DONE]" last.</summary>
internal sealed class SseStream(HttpResponse response)
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public bool Started => response.HasStarted;

    public async Task StartAsync(CancellationToken cancel)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>Writes one event whose data is the JSON <paramref name="write"/> produces, and flushes it.</summary>
    public async Task WriteAsync(Action<Utf8JsonWriter> write, CancellationToken cancel)
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(Prefix);
        using (var json = new Utf8JsonWriter(_buffer, JsonOutput.WriterOptions))
        {
            write(json);
        }
        _buffer.Write(Separator);
        await response.Body.WriteAsync(_buffer.WrittenMemory, cancel).ConfigureAwait(false);
        await response.Body.FlushAsync(cancel).ConfigureAwait(false);
    }

    public async Task DoneAsync(CancellationToken cancel)
    {
        await response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancel).ConfigureAwait(false);
        await response.Body.FlushAsync(cancel).ConfigureAwait(false);
    }
}
