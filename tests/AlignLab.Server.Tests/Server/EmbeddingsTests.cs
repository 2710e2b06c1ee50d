using System.Buffers.Binary;
using System.Text.Json;
using AlignLab.Backends;
using AlignLab.Embeddings;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Server;

/// <summary>POST /v1/embeddings over real HTTP: OpenAI's shape, the engine's pooled hidden states, and the errors.</summary>
public sealed class EmbeddingsTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private static readonly string[] Texts = ["The cat sat on the mat.", "Quantum chromodynamics", "naïve 🙂"];

    /// <summary>What alignlab embed computes locally: last layer, mean pooling, L2-normalised.</summary>
    private float[][] Expected(params string[] texts)
    {
        using var model = LocalLanguageModel.Open(served.Models.Base, new LocalModelOptions { Threads = 1 });
        var embedder = new LocalEmbedder(model, layer: null, HiddenPooling.Mean);
        return [.. texts.Select(embedder.Embed)];
    }

    private static float[] Floats(JsonElement embedding) => [.. embedding.EnumerateArray().Select(e => e.GetSingle())];

    private static void AssertClose(float[] expected, float[] got)
    {
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], got[i], 1e-5f);
        }
    }

    [Fact]
    public async Task A_list_of_texts_gets_the_local_embedders_vectors_in_openai_shape()
    {
        var (status, body) = await served.PostAsync("/v1/embeddings", JsonSerializer.Serialize(new { model = ServedFixture.Name, input = Texts }));
        Assert.Equal(200, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(ServedFixture.Name, body.GetProperty("model").GetString());
        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(Texts.Length, data.Count);
        var expected = Expected(Texts);
        for (var i = 0; i < data.Count; i++)
        {
            Assert.Equal("embedding", data[i].GetProperty("object").GetString());
            Assert.Equal(i, data[i].GetProperty("index").GetInt32());
            var vector = Floats(data[i].GetProperty("embedding"));
            AssertClose(expected[i], vector);
            Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 1e-5);
        }
        var (files, _) = served.Engine();
        var tokenizer = files.LoadTokenizer();
        var tokens = Texts.Sum(t => Prompts.Plain(tokenizer, t).Length);
        Assert.Equal(tokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(tokens, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Base64_token_ids_and_a_single_string_give_the_same_vector()
    {
        var expected = Expected(Texts[0])[0];
        var (_, text) = await served.PostAsync("/v1/embeddings", JsonSerializer.Serialize(new { input = Texts[0] }));
        AssertClose(expected, Floats(text.GetProperty("data")[0].GetProperty("embedding")));

        var (status, encoded) = await served.PostAsync("/v1/embeddings", JsonSerializer.Serialize(new { input = Texts[0], encoding_format = "base64" }));
        Assert.Equal(200, status);
        var bytes = Convert.FromBase64String(encoded.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = new float[bytes.Length / 4];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }
        AssertClose(expected, decoded);

        var (files, model) = served.Engine();
        var ids = Prompts.Plain(files.LoadTokenizer(), Texts[0]);
        var (_, byIds) = await served.PostAsync("/v1/embeddings", JsonSerializer.Serialize(new { input = new[] { ids, ids } }));
        Assert.Equal(2, byIds.GetProperty("data").GetArrayLength());
        AssertClose(expected, Floats(byIds.GetProperty("data")[1].GetProperty("embedding")));
        // The model's own size is accepted as dimensions; it is what comes back.
        var (sized, same) = await served.PostAsync("/v1/embeddings", JsonSerializer.Serialize(new { input = Texts[0], dimensions = model.Config.HiddenSize }));
        Assert.Equal(200, sized);
        Assert.Equal(model.Config.HiddenSize, same.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"input": "a", "dimensions": 3}""", 400, "dimensions", "invalid_value")]
    [InlineData("""{"input": "a", "encoding_format": "int8"}""", 400, "encoding_format", "invalid_value")]
    [InlineData("""{"input": []}""", 400, "input", "invalid_value")]
    [InlineData("""{"input": ["a", ""]}""", 400, "input[1]", "invalid_value")]
    [InlineData("""{"input": ["a", 3]}""", 400, "input", "invalid_type")]
    [InlineData("""{"input": 7}""", 400, "input", "invalid_type")]
    [InlineData("""{"input": [999999]}""", 400, "input", null)]
    [InlineData("""{"model": "other", "input": "a"}""", 404, "model", "model_not_found")]
    [InlineData("""{"model": "base"}""", 400, "input", "missing_field")]
    public async Task Bad_requests_get_an_openai_error(string json, int status, string param, string? code)
    {
        var (got, body) = await served.PostAsync("/v1/embeddings", json);
        Assert.Equal(status, got);
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task An_input_longer_than_the_context_is_a_400_naming_it()
    {
        var server = await served.ServerAsync();
        var (status, body) = await served.PostAsync("/v1/embeddings", JsonSerializer.Serialize(new { input = new[] { Enumerable.Repeat(5, 3).ToArray(), Enumerable.Repeat(5, server.ContextSize + 1).ToArray() } }));
        Assert.Equal(400, status);
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("input[1]", body.GetProperty("error").GetProperty("param").GetString());
    }
}
