using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Hub;

namespace AlignLab.Embeddings;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>POST /v1/embeddings</c> (OpenAI, vLLM, alignlab serve), named
/// <c>http(s)://HOST:PORT/v1#MODEL</c>. Texts go <see cref="BatchSize"/> to a request; the HTTP layer retries 429s and
/// 5xx with backoff (Polly), bounds each attempt by the timeout and each answer by the response limit. The answer is
/// read strictly (one vector per text, by index, all of one size, finite numbers or base64 float32) and every vector
/// is L2-normalised here, so a server that does not normalise gives cosines all the same. Thread-safe.
/// </summary>
public sealed class RemoteEmbedder : IEmbedder, IDisposable
{
    /// <summary>Texts per request unless told otherwise: well under OpenAI's 2048 inputs, and small enough that a retry repeats little.</summary>
    public const int DefaultBatchSize = 64;

    private readonly OpenAiHttp _http;
    private readonly string _model;
    private readonly Uri _url;

    private RemoteEmbedder(string reference, OpenAiHttp http, string model, int batchSize)
    {
        Name = reference;
        _http = http;
        _model = model;
        _url = new Uri(http.ApiBase, "embeddings");
        BatchSize = batchSize;
    }

    /// <summary>The reference as given: the server decides the layer and pooling.</summary>
    public string Name { get; }

    /// <summary>Most texts sent in one request.</summary>
    public int BatchSize { get; }

    /// <summary>
    /// An embedder for <paramref name="reference"/> (<c>http(s)://HOST:PORT/v1#MODEL</c>): API key, timeouts, retries,
    /// requests in flight and the response limit from <paramref name="options"/>. Nothing is sent until the first text.
    /// </summary>
    public static RemoteEmbedder Open(string reference, RemoteModelOptions? options = null, int batchSize = DefaultBatchSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        options ??= new RemoteModelOptions();
        options.Validate();
        var endpoint = ModelReference.Resolve(reference);
        if (endpoint.Kind != ModelReferenceKind.Endpoint)
        {
            throw new ArgumentException($"embedder \"{reference}\" is not an http(s)://HOST:PORT/v1#MODEL reference", nameof(reference));
        }
        return new RemoteEmbedder(reference, new OpenAiHttp(endpoint.EndpointBase!, options), endpoint.EndpointModel!, batchSize);
    }

    public float[] Embed(string text) => EmbedAll([text])[0];

    /// <summary>Every text's unit vector, in order, <see cref="BatchSize"/> texts per request.</summary>
    public IReadOnlyList<float[]> EmbedAll(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"text {i} is empty and has no embedding"), nameof(texts));
            }
        }
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            vectors.AddRange(Request([.. texts.Skip(start).Take(BatchSize)]));
        }
        return vectors;
    }

    public void Dispose() => _http.Dispose();

    public override string ToString() => Name;

    private float[][] Request(IReadOnlyList<string> texts)
    {
        var body = JsonBody.Write(json =>
        {
            json.WriteString("model", _model);
            json.WriteStartArray("input");
            foreach (var text in texts)
            {
                json.WriteStringValue(text);
            }
            json.WriteEndArray();
            json.WriteString("encoding_format", "float");
        });
        var answer = _http.PostAsync(_url, body, default).GetAwaiter().GetResult();
        return Read(answer, texts.Count);
    }

    /// <summary>The vectors of an OpenAI embeddings answer, ordered by their index; one for each of <paramref name="count"/> inputs.</summary>
    internal static float[][] Read(ResponseJson answer, int count)
    {
        var data = answer["data"];
        if (data.Length != count)
        {
            throw data.Invalid(string.Create(CultureInfo.InvariantCulture, $"a list of {count} embeddings, one per input"));
        }
        var vectors = new float[count][];
        foreach (var item in data.Items())
        {
            var index = item["index"];
            var i = index.Int();
            if (i < 0 || i >= count || vectors[i] is not null)
            {
                throw index.Invalid(string.Create(CultureInfo.InvariantCulture, $"a distinct index within 0 to {count - 1}"));
            }
            var embedding = item["embedding"];
            var vector = Vector(embedding);
            if (vectors.FirstOrDefault(v => v is not null) is { } first && first.Length != vector.Length)
            {
                throw embedding.Invalid(string.Create(CultureInfo.InvariantCulture, $"{first.Length} numbers, as the other embeddings have"));
            }
            try
            {
                vectors[i] = UnitVector.Normalize(vector);
            }
            catch (ArgumentException)
            {
                throw embedding.Invalid("a vector with a direction (not all zeros)");
            }
        }
        return vectors;
    }

    /// <summary>A list of finite numbers, or OpenAI's base64 encoding (little-endian float32).</summary>
    private static float[] Vector(ResponseJson embedding)
    {
        float[] vector;
        if (embedding.Value.ValueKind == JsonValueKind.String)
        {
            if (!embedding.Value.TryGetBytesFromBase64(out var bytes) || bytes.Length == 0 || bytes.Length % sizeof(float) != 0)
            {
                throw embedding.Invalid("base64 of little-endian float32 values");
            }
            vector = new float[bytes.Length / sizeof(float)];
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }
        }
        else
        {
            if (embedding.Length == 0)
            {
                throw embedding.Invalid("a non-empty list of numbers");
            }
            vector = [.. embedding.Items().Select(Number)];
        }
        return vector.All(float.IsFinite) ? vector : throw embedding.Invalid("finite numbers");
    }

    private static float Number(ResponseJson value)
        => value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetSingle(out var number) && float.IsFinite(number) ? number : throw value.Invalid("a finite number");
}
