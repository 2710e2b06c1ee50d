using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Embeddings;
using AlignLab.Engine.Inference;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Server.Tests.Client;

/// <summary>
/// <see cref="RemoteEmbedder"/> (through <see cref="Embedders.Open"/>) against our server over real HTTP, and against
/// a recorded OpenAI answer, so the client does not only fit our own server.
/// </summary>
public sealed class RemoteEmbedderTests(ServedFixture served) : IClassFixture<ServedFixture>
{
    private static readonly string[] Texts = ["One", "Two words", "A third, longer text.", "Четыре", "five 🙂"];

    [Fact]
    public async Task Served_vectors_equal_the_local_embedders_in_batches()
    {
        var server = await served.ServerAsync();
        using var model = LocalLanguageModel.Open(served.Models.Base, new LocalModelOptions { Threads = 1 });
        var local = new LocalEmbedder(model, layer: null, HiddenPooling.Mean);
        using var remote = RemoteEmbedder.Open(server.ModelReference, batchSize: 2);
        var requests = server.Stats.Requests;
        var vectors = remote.EmbedAll(Texts);
        Assert.Equal(3, server.Stats.Requests - requests); // 5 texts, 2 to a request
        Assert.Equal(Texts.Length, vectors.Count);
        for (var t = 0; t < Texts.Length; t++)
        {
            var expected = local.Embed(Texts[t]);
            Assert.Equal(expected.Length, vectors[t].Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], vectors[t][i], 1e-5f);
            }
        }
        Assert.Equal(vectors[1], remote.Embed(Texts[1]));
        Assert.Equal(server.ModelReference, remote.Name);

        // The factory opens the same for a served reference, and a local embedder for a model path.
        using var opened = Embedders.Open(server.ModelReference);
        Assert.IsType<RemoteEmbedder>(opened.Embedder);
        Assert.Equal(vectors[2], opened.Embedder.Embed(Texts[2]));
        using var openedLocal = Embedders.Open(served.Models.Base, new EmbedderOptions { Threads = 1 });
        Assert.IsType<LocalEmbedder>(openedLocal.Embedder);
        Assert.Throws<ArgumentException>(() => Embedders.Open(server.ModelReference, new EmbedderOptions { Layer = 1 }));
        Assert.Throws<ArgumentException>(() => remote.EmbedAll(["fine", ""]));
    }

    [Fact]
    public async Task A_server_with_another_layer_and_pooling_matches_the_local_embedder_so_configured()
    {
        var path = served.Models.Base;
        await using var server = await ModelServer.StartAsync(new ServerOptions
        {
            Model = path, Port = 0, ServedModelName = "emb", Threads = 1, EmbeddingLayer = 1, EmbeddingPooling = HiddenPooling.Last, MaxEmbeddingInputs = 2,
        }, TestContext.Current.CancellationToken);
        using var model = LocalLanguageModel.Open(path, new LocalModelOptions { Threads = 1 });
        var expected = new LocalEmbedder(model, layer: 1, HiddenPooling.Last).Embed(Texts[2]);
        using var remote = RemoteEmbedder.Open(server.ModelReference, batchSize: 2);
        var got = remote.Embed(Texts[2]);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], got[i], 1e-5f);
        }

        // More inputs than the server takes: a 400 that names the limit, not retried.
        using var tooMany = RemoteEmbedder.Open(server.ModelReference, new RemoteModelOptions { MaxRetries = 0 }, batchSize: 3);
        var error = Assert.Throws<RemoteModelException>(() => tooMany.EmbedAll(Texts));
        Assert.Equal(400, error.Status);
        Assert.Contains("3 inputs exceed the server's limit of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_openai_answer_parses_by_index_with_base64_and_is_normalised()
    {
        var recorded = new RecordedServer().On("POST", "/v1/embeddings", body =>
        {
            Assert.Equal("text-embedding-3-small", body!.Value.GetProperty("model").GetString());
            Assert.Equal(2, body.Value.GetProperty("input").GetArrayLength());
            return Reply.File("openai/embeddings.json");
        });
        using var embedder = RemoteEmbedder.Open("https://api.example.test/v1#text-embedding-3-small", new RemoteModelOptions { Handler = recorded, ApiKey = "k" });
        var vectors = embedder.EmbedAll(["first", "second"]);
        Assert.Equal([0.6f, 0f, -0.8f], vectors[0]);
        Assert.Equal([0.6f, 0.8f, 0f], vectors[1]); // 3, 4, 0 from base64, normalised here
        Assert.Single(recorded.Requests);
    }

    [Theory]
    [InlineData("""{"data": [{"index": 0, "embedding": [1, 0]}]}""", "data is a list, expected a list of 2 embeddings")]
    [InlineData("""{"data": [{"index": 0, "embedding": [1, 0]}, {"index": 0, "embedding": [0, 1]}]}""", "data[1].index is the number 0, expected a distinct index")]
    [InlineData("""{"data": [{"index": 0, "embedding": [1, 0]}, {"index": 1, "embedding": [0, 1, 2]}]}""", "data[1].embedding is a list, expected 2 numbers")]
    [InlineData("""{"data": [{"index": 0, "embedding": [1, 0]}, {"index": 1, "embedding": [0, "x"]}]}""", "data[1].embedding[1] is a string, expected a finite number")]
    [InlineData("""{"data": [{"index": 0, "embedding": [0, 0]}, {"index": 1, "embedding": [0, 1]}]}""", "data[0].embedding is a list, expected a vector with a direction")]
    [InlineData("""{"data": [{"index": 0, "embedding": "%%%"}, {"index": 1, "embedding": [0, 1]}]}""", "data[0].embedding is a string, expected base64")]
    public void A_malformed_answer_is_an_error_naming_the_field(string answer, string message)
    {
        var recorded = new RecordedServer().On("POST", "/v1/embeddings", Reply.Json(200, answer));
        using var embedder = RemoteEmbedder.Open("http://host.test:8000/v1#m", new RemoteModelOptions { Handler = recorded });
        var error = Assert.Throws<RemoteModelException>(() => embedder.EmbedAll(["a", "b"]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("http://host.test:8000/v1/embeddings: ", error.Message, StringComparison.Ordinal);
    }
}
