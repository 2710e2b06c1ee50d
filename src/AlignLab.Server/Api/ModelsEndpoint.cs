using System.Text.Json;
using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// GET /v1/models and GET /v1/models/{id}: the served model's card as vLLM writes it (id, object, created,
/// owned_by, root, parent, max_model_len, permission), plus vocab_size and eos_token_ids (ours).
/// </summary>
internal sealed class ModelsEndpoint(ServedModel model)
{
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public Task ListAsync(HttpContext http) => JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, json =>
    {
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        Card(json);
        json.WriteEndArray();
        json.WriteEndObject();
    }, http.RequestAborted);

    public Task GetAsync(HttpContext http)
    {
        var id = http.Request.RouteValues["id"] as string ?? "";
        return id == model.Name
            ? JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, Card, http.RequestAborted)
            : throw ModelCheck.NotFound(id, model);
    }

    private void Card(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("id", model.Name);
        json.WriteString("object", "model");
        json.WriteNumber("created", _created);
        json.WriteString("owned_by", "alignlab");
        json.WriteString("root", model.Reference);
        json.WriteNull("parent");
        json.WriteNumber("max_model_len", model.ContextSize);
        json.WriteNumber("vocab_size", model.VocabSize);
        json.WriteStartArray("eos_token_ids");
        foreach (var id in model.EndOfGenerationIds)
        {
            json.WriteNumberValue(id);
        }
        json.WriteEndArray();
        json.WriteStartArray("permission");
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
