using System.Net;
using AlignLab.Server.Api;
using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlignLab.Server;

/// <summary>
/// <c>alignlab serve</c>: one model behind an OpenAI-compatible HTTP API (Kestrel). GET /health, GET /v1/models,
/// POST /v1/completions, POST /v1/chat/completions, POST /v1/embeddings, POST /tokenize, POST /detokenize, GET /vocabulary.
/// Requests are queued to one inference thread that batches up to <see cref="ServerOptions.MaxConcurrency"/>
/// sequences (continuous batching). Dispose it to stop listening and end queued and running requests.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModel _model;
    private readonly InferenceScheduler _scheduler;

    private ModelServer(WebApplication app, ServedModel model, InferenceScheduler scheduler, ServerStats stats, Uri address)
    {
        _app = app;
        _model = model;
        _scheduler = scheduler;
        Stats = stats;
        BaseAddress = address;
    }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:8000/ (the port picked when 0 was asked).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The model reference clients use: BASE/v1#NAME.</summary>
    public string ModelReference => new Uri(BaseAddress, "v1").AbsoluteUri + "#" + _model.Name;

    public string ModelName => _model.Name;

    /// <summary>Most tokens a sequence may hold (max_model_len).</summary>
    public int ContextSize => _model.ContextSize;

    public ServerStats Stats { get; }

    /// <summary>The inference thread's scheduler (tests pause it).</summary>
    internal InferenceScheduler Scheduler => _scheduler;

    /// <summary>Loads the model, binds the address and starts answering; throws when the model or the address cannot be had.</summary>
    public static async Task<ModelServer> StartAsync(ServerOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var model = ServedModel.Open(options);
        InferenceScheduler? scheduler = null;
        WebApplication? app = null;
        try
        {
            if (options.ChatTemplatePath is not null)
            {
                model.RenderChat([new ChatMessage("user", "")], addGenerationPrompt: true); // a bad template file fails now, not per request
            }
            var stats = new ServerStats();
            scheduler = new InferenceScheduler(model, options, stats);
            app = Build(options, model, scheduler, stats);
            await app.StartAsync(cancel).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ModelServer(app, model, scheduler, stats, new Uri(address.EndsWith('/') ? address : address + "/"));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            scheduler?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the server has been stopped (<see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel = default) => _app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        _scheduler.Dispose(); // ends running generations first, so no request waits on the model while Kestrel drains
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _model.Dispose();
    }

    private static WebApplication Build(ServerOptions options, ServedModel model, InferenceScheduler scheduler, ServerStats stats)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // RequestBody enforces the limit with an OpenAI error
            if (options.Host == "localhost")
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.TryParse(options.Host, out var ip) ? ip
                    : throw new ArgumentException($"host \"{options.Host}\" is not an IP address or localhost", nameof(options)), options.Port);
            }
        });
        var app = builder.Build();
        var guard = new ApiGuard(options.ApiKey, stats);
        app.Use(guard.InvokeAsync);
        app.UseRouting();
        var models = new ModelsEndpoint(model);
        var completions = new CompletionsEndpoint(model, scheduler, options);
        var chat = new ChatEndpoint(model, scheduler, options);
        var tokenize = new TokenizeEndpoints(model, options);
        var embeddings = new EmbeddingsEndpoint(model, scheduler, options);
        app.MapGet("/health", _ => Task.CompletedTask);
        app.MapGet("/v1/models", models.ListAsync);
        app.MapGet("/v1/models/{id}", models.GetAsync);
        app.MapPost("/v1/completions", completions.HandleAsync);
        app.MapPost("/v1/chat/completions", chat.HandleAsync);
        app.MapPost("/v1/embeddings", embeddings.HandleAsync);
        app.MapPost("/tokenize", tokenize.TokenizeAsync);
        app.MapPost("/detokenize", tokenize.DetokenizeAsync);
        app.MapGet("/vocabulary", tokenize.VocabularyAsync);
        app.MapFallback(http => throw new ApiException(StatusCodes.Status404NotFound,
            $"no such endpoint: {http.Request.Method} {http.Request.Path}", ApiException.InvalidRequest, null, "not_found"));
        return app;
    }
}
