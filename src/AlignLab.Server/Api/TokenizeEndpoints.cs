using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// vLLM's POST /tokenize ({"prompt"} with add_special_tokens default true, or {"messages"} with
/// add_generation_prompt default true and add_special_tokens default false; return_token_strs; our
/// parse_special, default true) answering {"count", "max_model_len", "tokens", "token_strs"}; POST /detokenize
/// ({"tokens"}) answering {"prompt"}, special tokens written out (for messages, /tokenize also gives the
/// rendered text as "prompt", ours); and GET /vocabulary (ours):
/// {"model", "vocab_size", "tokens"} with every id's vocabulary string, so a client can compare vocabularies.
/// </summary>
internal sealed class TokenizeEndpoints(ServedModel model, ServerOptions options)
{
    public async Task TokenizeAsync(HttpContext http)
    {
        var cancel = http.RequestAborted;
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.MaxRequestBytes, cancel).ConfigureAwait(false);
        var f = new RequestFields(body.RootElement, "");
        ModelCheck.Ensure(f, model);
        int[] ids;
        string? rendered = null;
        if (f.Has("messages"))
        {
            rendered = ChatMessages.Render(f, model);
            ids = model.Encode(rendered, f.Bool("add_special_tokens") ?? false, parseSpecial: true);
        }
        else
        {
            var prompt = f.String("prompt") ?? throw ApiException.BadRequest("prompt (or messages) is required", "prompt", "missing_field");
            ids = model.Encode(prompt, f.Bool("add_special_tokens") ?? true, f.Bool("parse_special") ?? true);
        }
        var strings = f.Bool("return_token_strs") ?? false;
        await JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("count", ids.Length);
            json.WriteNumber("max_model_len", model.ContextSize);
            json.WriteStartArray("tokens");
            foreach (var id in ids)
            {
                json.WriteNumberValue(id);
            }
            json.WriteEndArray();
            if (strings)
            {
                json.WriteStartArray("token_strs");
                foreach (var id in ids)
                {
                    json.WriteStringValue(model.Tokenizer.IdToToken(id) ?? "");
                }
                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("token_strs");
            }
            if (rendered is not null)
            {
                json.WriteString("prompt", rendered);
            }
            json.WriteEndObject();
        }, cancel).ConfigureAwait(false);
    }

    public async Task DetokenizeAsync(HttpContext http)
    {
        var cancel = http.RequestAborted;
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.MaxRequestBytes, cancel).ConfigureAwait(false);
        var f = new RequestFields(body.RootElement, "");
        ModelCheck.Ensure(f, model);
        var ids = f.Ints("tokens", 0, model.Tokenizer.VocabSize - 1) ?? throw ApiException.BadRequest("tokens is required", "tokens", "missing_field");
        var text = model.Tokenizer.Decode(ids);
        await JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("prompt", text);
            json.WriteEndObject();
        }, cancel).ConfigureAwait(false);
    }

    public Task VocabularyAsync(HttpContext http)
    {
        if (http.Request.Query["model"].FirstOrDefault() is { } name && name != model.Name)
        {
            throw ModelCheck.NotFound(name, model);
        }
        return JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("model", model.Name);
            json.WriteNumber("vocab_size", model.VocabSize);
            json.WriteStartArray("tokens");
            for (var id = 0; id < model.Tokenizer.VocabSize; id++)
            {
                if (model.Tokenizer.IdToToken(id) is { } token)
                {
                    json.WriteStringValue(token);
                }
                else
                {
                    json.WriteNullValue();
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }, http.RequestAborted);
    }
}
