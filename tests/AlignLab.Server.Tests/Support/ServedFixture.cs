using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Tests.Support;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AlignLab.Server.Tests.Support;

/// <summary>
/// The fixture models (../shared's llama-spm vocabulary, random weights) and one server over the base model on a
/// free loopback port, started by the first test that asks (so a missing ../shared skips, not fails), with two
/// sequences at a time so that queueing happens. The engine objects let tests recompute what the server should say.
/// </summary>
public class ServedFixture : IAsyncDisposable
{
    public const string Name = "base";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ModelServer? _server;
    private LocalModel? _files;
    private LlamaModel? _model;

    public FixtureModels Models { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public async Task<ModelServer> ServerAsync()
    {
        var path = Models.Base; // skips the test when ../shared is absent
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_server is null)
            {
                _server = await ModelServer.StartAsync(Options(path));
                Http = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            }
            return _server;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How the server runs: two sequences at a time, one thread.</summary>
    protected virtual ServerOptions Options(string model) => new() { Model = model, Port = 0, ServedModelName = Name, MaxConcurrency = 2, Threads = 1 };

    /// <summary>The base model opened with the engine, for expected values.</summary>
    public (LocalModel Files, LlamaModel Model) Engine()
    {
        _files ??= LocalModel.Open(Models.Base);
        _model ??= LlamaModel.Load(_files);
        return (_files, _model);
    }

    /// <summary>What the engine generates alone for <paramref name="prompt"/> (greedy unless <paramref name="sampling"/>), with the model's end-of-generation ids.</summary>
    public GenerationResult Generate(IReadOnlyList<int> prompt, int maxTokens, int topLogProbs = 0, SamplingOptions? sampling = null)
    {
        var (files, model) = Engine();
        var tokenizer = files.LoadTokenizer();
        using var generator = new TextGenerator(model, tokenizer, GenerationDefaults.EndOfGenerationIds(files, tokenizer), new SessionOptions { Threads = 1 });
        return generator.Generate(prompt, new GenerationOptions { MaxTokens = maxTokens, TopLogProbs = topLogProbs, Sampling = sampling ?? SamplingOptions.Greedy });
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, string json, string? apiKey = null)
    {
        await ServerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        await ServerAsync();
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _model?.Dispose();
        _files?.Dispose();
        Models.Dispose();
        _gate.Dispose();
    }
}

/// <summary>Reading answers in tests.</summary>
internal static class Answers
{
    public static int[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetInt32())];

    /// <summary>N of a "token_id:N" label.</summary>
    public static int LabelId(JsonElement label) => int.Parse(label.GetString()!["token_id:".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The JSON objects of a server-sent event stream, and whether it ended with [DONE].</summary>
    public static (List<JsonElement> Events, bool Done) Events(string body)
    {
        var events = new List<JsonElement>();
        var done = false;
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block, StringComparison.Ordinal);
            var data = block["data: ".Length..];
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }
            Assert.False(done, "an event after [DONE]");
            events.Add(JsonDocument.Parse(data).RootElement.Clone());
        }
        return (events, done);
    }
}
