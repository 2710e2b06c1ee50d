using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>The "model" field: absent means the served model (as vLLM allows); another name is a 404.</summary>
internal static class ModelCheck
{
    public static void Ensure(RequestFields f, ServedModel model)
    {
        if (f.String("model") is { } name && !string.Equals(name, model.Name, StringComparison.Ordinal))
        {
            throw NotFound(name, model);
        }
    }

    public static ApiException NotFound(string name, ServedModel model)
        => new(StatusCodes.Status404NotFound, $"The model `{name}` does not exist; this server serves `{model.Name}`.", "not_found_error", "model", "model_not_found");
}
