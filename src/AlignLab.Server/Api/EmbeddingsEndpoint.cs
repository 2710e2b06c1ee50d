using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// POST /v1/embeddings in OpenAI's format: <c>input</c> a string, a list of strings, token ids (used as given) or a
/// list of id lists; <c>encoding_format</c> float (default) or base64 (little-endian float32); <c>dimensions</c> only
/// as the model's own size (vectors are not truncated). Each vector is the served model's hidden states after
/// <see cref="ServerOptions.EmbeddingLayer"/> layers, pooled (<see cref="ServerOptions.EmbeddingPooling"/>) and
/// L2-normalised — what <c>alignlab embed</c> computes for a text, which is encoded as a plain prompt (BOS added).
/// Answer: <c>{"object": "list", "data": [{"object": "embedding", "index", "embedding"}], "model", "usage"}</c>.
/// </summary>
internal sealed class EmbeddingsEndpoint
{
    private readonly ServedModel _model;
    private readonly InferenceScheduler _scheduler;
    private readonly ServerOptions _options;
    private readonly int _layer;

    public EmbeddingsEndpoint(ServedModel model, InferenceScheduler scheduler, ServerOptions options)
    {
        _model = model;
        _scheduler = scheduler;
        _options = options;
        var layers = model.Model.Config.LayerCount;
        _layer = options.EmbeddingLayer ?? layers;
        if (_layer > layers)
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"embedding layer {_layer} is not within 0 (the token embeddings) to the model's {layers} layers"));
        }
    }

    public async Task HandleAsync(HttpContext http)
    {
        var cancel = http.RequestAborted;
        List<int[]> inputs;
        bool base64;
        using (var body = await RequestBody.ReadJsonAsync(http.Request, _options.MaxRequestBytes, cancel).ConfigureAwait(false))
        {
            (inputs, base64) = Read(new RequestFields(body.RootElement, ""));
        }
        var vectors = new float[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            var pooled = await _scheduler.EmbedAsync(inputs[i], _layer, _options.EmbeddingPooling, cancel).WaitAsync(cancel).ConfigureAwait(false);
            vectors[i] = Normalize(pooled, i);
        }
        var tokens = inputs.Sum(t => t.Length);
        await JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, json => Write(json, vectors, base64, tokens), cancel).ConfigureAwait(false);
    }

    private (List<int[]> Inputs, bool Base64) Read(RequestFields f)
    {
        ModelCheck.Ensure(f, _model);
        var format = f.String("encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
        {
            throw ApiException.BadRequest($"encoding_format \"{format}\" is not supported: float or base64", "encoding_format", "invalid_value");
        }
        var hidden = _model.Model.Config.HiddenSize;
        if (f.Long("dimensions") is { } dimensions && dimensions != hidden)
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"dimensions {dimensions} is not supported: this model's embeddings have {hidden} dimensions and are not shortened"), "dimensions", "invalid_value");
        }
        var inputs = ReadInputs(f);
        if (inputs.Count > _options.MaxEmbeddingInputs)
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"{inputs.Count} inputs exceed the server's limit of {_options.MaxEmbeddingInputs} per request"), "input", "invalid_value");
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var param = inputs.Count == 1 ? "input" : $"input[{i}]";
            if (inputs[i].Length == 0)
            {
                throw ApiException.BadRequest($"{param} is empty: an embedding needs at least one token", param, "invalid_value");
            }
            ContextCheck.Ensure(inputs[i].Length, 0, _model.ContextSize, param, "input");
        }
        return (inputs, format == "base64");
    }

    private List<int[]> ReadInputs(RequestFields f)
    {
        var input = f.Get("input") ?? throw ApiException.BadRequest("input is required", "input", "missing_field");
        var max = _model.VocabSize - 1;
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return [Encode(input.GetString()!)];
            case JsonValueKind.Array when input.GetArrayLength() == 0:
                throw ApiException.BadRequest("input is an empty list", "input", "invalid_value");
            case JsonValueKind.Array:
                return input[0].ValueKind switch
                {
                    JsonValueKind.Number => [RequestFields.ReadInts(input, "input", 0, max)],
                    JsonValueKind.String => [.. input.EnumerateArray().Select((p, i) => p.ValueKind == JsonValueKind.String ? Encode(p.GetString()!) : throw Mixed(i, p))],
                    JsonValueKind.Array => [.. input.EnumerateArray().Select((p, i) => RequestFields.ReadInts(p, $"input[{i}]", 0, max))],
                    _ => throw Mixed(0, input[0]),
                };
            default:
                throw ApiException.BadRequest($"input must be a string, a list of strings, token ids or a list of token id lists, not {RequestFields.KindOf(input)}", "input", "invalid_type");
        }
    }

    /// <summary>A text as <c>alignlab embed</c> encodes it: special tokens parsed, BOS first when the tokenizer adds one. An empty text has no tokens to embed.</summary>
    private int[] Encode(string text) => text.Length == 0 ? [] : _model.Encode(text, addSpecialTokens: true, parseSpecial: true);

    private static ApiException Mixed(int index, JsonElement value)
        => ApiException.BadRequest($"input[{index}] is {RequestFields.KindOf(value)}: a list input holds only strings, only token ids, or only lists of token ids", "input", "invalid_type");

    /// <summary>The unit vector of <paramref name="pooled"/>; a zero or non-finite one has no direction (a 500: the model's numbers, not the request, are at fault).</summary>
    private static float[] Normalize(float[] pooled, int index)
    {
        try
        {
            return L2Normalization.Normalize(pooled);
        }
        catch (ArgumentException e)
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, string.Create(CultureInfo.InvariantCulture, $"input {index}: {e.Message}"), "server_error");
        }
    }

    private void Write(Utf8JsonWriter json, float[][] vectors, bool base64, int tokens)
    {
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        for (var i = 0; i < vectors.Length; i++)
        {
            json.WriteStartObject();
            json.WriteString("object", "embedding");
            json.WriteNumber("index", i);
            if (base64)
            {
                json.WriteBase64String("embedding", LittleEndianBytes(vectors[i]));
            }
            else
            {
                json.WriteStartArray("embedding");
                foreach (var v in vectors[i])
                {
                    json.WriteNumberValue(v);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("model", _model.Name);
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", tokens);
        json.WriteNumber("total_tokens", tokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The floats as little-endian float32 bytes, as OpenAI's base64 encoding has them.</summary>
    private static byte[] LittleEndianBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }
        return bytes;
    }
}
