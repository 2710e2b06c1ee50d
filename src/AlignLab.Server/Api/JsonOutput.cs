using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>Writing JSON responses: one whole body with its length, or an OpenAI error.</summary>
internal static class JsonOutput
{
    /// <summary>Model text goes out as UTF-8 (not \u-escaped), still escaped as JSON strings must be.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpResponse response, int status, Action<Utf8JsonWriter> write, CancellationToken cancel)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(json);
        }
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancel).ConfigureAwait(false);
    }

    /// <summary>{"error": {"message", "type", "param", "code"}}</summary>
    public static void Error(Utf8JsonWriter json, ApiException error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", error.Message);
        json.WriteString("type", error.Type);
        WriteNullable(json, "param", error.Param);
        WriteNullable(json, "code", error.Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>vLLM's stop_reason: a string, an id, or null.</summary>
    public static void WriteStopReason(Utf8JsonWriter json, object? reason)
    {
        switch (reason)
        {
            case string text:
                json.WriteString("stop_reason", text);
                break;
            case int id:
                json.WriteNumber("stop_reason", id);
                break;
            default:
                json.WriteNull("stop_reason");
                break;
        }
    }

    /// <summary>A log-probability as JSON: finite floats as numbers; −∞ (a token the model cannot produce) as OpenAI's −9999.</summary>
    public static void WriteLogProb(Utf8JsonWriter json, string name, float logProb)
        => json.WriteNumber(name, float.IsFinite(logProb) ? logProb : -9999f);

    public static void WriteLogProbValue(Utf8JsonWriter json, float logProb)
        => json.WriteNumberValue(float.IsFinite(logProb) ? logProb : -9999f);

    public static void Usage(Utf8JsonWriter json, int promptTokens, int completionTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", promptTokens);
        json.WriteNumber("total_tokens", promptTokens + completionTokens);
        json.WriteNumber("completion_tokens", completionTokens);
        json.WriteEndObject();
    }
}
