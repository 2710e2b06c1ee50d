using AlignLab.Engine.Templates;

namespace AlignLab.Backends.Remote;

/// <summary>
/// Greedy chat completions through a server's POST /v1/chat/completions, answered whole (not streamed): the first
/// choice's message, its finish_reason and the usage counts. A request for JSON sends OpenAI's
/// <c>response_format: {"type": "json_object"}</c>; when the server refuses a request that carries it (HTTP 400)
/// and accepts the same request without it, the field is left out of every later request to this server.
/// Safe to call concurrently.
/// </summary>
internal sealed class RemoteChat(OpenAiHttp http, string model, string reference)
{
    private volatile bool _jsonFormatRefused;

    public async Task<ChatCompletion> CompleteAsync(IReadOnlyList<ChatTurn> turns, ChatCompletionRequest request, CancellationToken cancel)
    {
        var url = new Uri(http.ApiBase, "chat/completions");
        var askJson = request.JsonObject && !_jsonFormatRefused;
        ResponseJson answer;
        try
        {
            answer = await http.PostAsync(url, Body(turns, request, askJson), cancel).ConfigureAwait(false);
        }
        catch (RemoteModelException e) when (askJson && e.Status == 400)
        {
            answer = await http.PostAsync(url, Body(turns, request, jsonFormat: false), cancel).ConfigureAwait(false);
            _jsonFormatRefused = true;
        }
        return Read(answer);
    }

    private byte[] Body(IReadOnlyList<ChatTurn> turns, ChatCompletionRequest request, bool jsonFormat) => JsonBody.Write(json =>
    {
        json.WriteString("model", model);
        json.WriteStartArray("messages");
        foreach (var turn in turns)
        {
            json.WriteStartObject();
            json.WriteString("role", turn.Role);
            json.WriteString("content", turn.Content);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("max_tokens", request.MaxNewTokens);
        json.WriteNumber("temperature", 0);
        if (jsonFormat)
        {
            json.WriteStartObject("response_format");
            json.WriteString("type", "json_object");
            json.WriteEndObject();
        }
    });

    private ChatCompletion Read(ResponseJson answer)
    {
        var choices = answer["choices"];
        if (choices.Length == 0)
        {
            throw new RemoteModelException($"{reference}: the chat completion has no choices");
        }
        var choice = choices[0];
        // A refusal comes with null content: an empty answer, which the caller judges like any other.
        var text = choice["message"]["content"].StringOrNull() ?? "";
        var end = choice["finish_reason"].StringOrNull() == "length" ? AnswerEnd.MaxTokens : AnswerEnd.EndOfTurn;
        var usage = answer["usage"];
        return new ChatCompletion(text, end, Count(usage, "prompt_tokens"), Count(usage, "completion_tokens"));
    }

    /// <summary>A usage count; 0 when the server gives no usage.</summary>
    private static int Count(ResponseJson usage, string name)
    {
        if (usage.IsNull || usage[name].IsNull)
        {
            return 0;
        }
        var count = usage[name].Int();
        return count >= 0 ? count : throw usage[name].Invalid("a token count ≥ 0");
    }
}
