using System.Text.Json;

namespace AlignLab.Server.Api;

/// <summary>
/// What every object of one response shares — id, object type, created, model — and the frame of a stream chunk
/// that carries one choice: <c>{..., "choices": [{"index": i, ... "finish_reason", "stop_reason"}]}</c>.
/// </summary>
internal sealed class ResponseEnvelope(string idPrefix, string model)
{
    private readonly string _id = idPrefix + Guid.NewGuid().ToString("N");
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Opens the response object and writes id, object, created and model.</summary>
    public void Open(Utf8JsonWriter json, string type)
    {
        json.WriteStartObject();
        json.WriteString("id", _id);
        json.WriteString("object", type);
        json.WriteNumber("created", _created);
        json.WriteString("model", model);
    }

    /// <summary>Opens a chunk of one choice, up to its index; the caller writes the choice's fields, then <see cref="CloseChoiceChunk"/>.</summary>
    public void OpenChoiceChunk(Utf8JsonWriter json, string type, int choice)
    {
        Open(json, type);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", choice);
    }

    public static void CloseChoiceChunk(Utf8JsonWriter json, string? finishReason, object? stopReason)
    {
        JsonOutput.WriteNullable(json, "finish_reason", finishReason);
        JsonOutput.WriteStopReason(json, stopReason);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A stream's last chunk before [DONE] when usage was asked for: no choices, the usage.</summary>
    public void UsageChunk(Utf8JsonWriter json, string type, int promptTokens, int completionTokens)
    {
        Open(json, type);
        json.WriteStartArray("choices");
        json.WriteEndArray();
        JsonOutput.Usage(json, promptTokens, completionTokens);
        json.WriteEndObject();
    }
}
