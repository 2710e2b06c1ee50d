using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlignLab.Cli.Tests;

/// <summary>
/// A scripted OpenAI-compatible judge over real HTTP on a loopback port (Kestrel): GET /v1/models lists "judge-1",
/// POST /v1/chat/completions answers with what the test's function returns for the request, with fixed usage counts.
/// </summary>
internal sealed class FakeJudgeServer : IAsyncDisposable
{
    public const int PromptTokens = 120;
    public const int CompletionTokens = 30;

    private readonly WebApplication _app;
    private int _requests;

    private FakeJudgeServer(WebApplication app, Uri address)
    {
        _app = app;
        Reference = new Uri(address, "v1").AbsoluteUri + "#judge-1";
    }

    /// <summary>http://127.0.0.1:PORT/v1#judge-1</summary>
    public string Reference { get; }

    /// <summary>Requests of any kind received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeJudgeServer> StartAsync(Func<JsonElement, string> reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeJudgeServer? server = null;
        app.MapGet("/v1/models", () =>
        {
            Interlocked.Increment(ref server!._requests);
            return Results.Text("""{"object": "list", "data": [{"id": "judge-1", "object": "model"}]}""", "application/json");
        });
        app.MapPost("/v1/chat/completions", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref server!._requests);
            using var body = await JsonDocument.ParseAsync(request.Body);
            var content = reply(body.RootElement);
            return Results.Text(new JsonObject
            {
                ["object"] = "chat.completion",
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content }, ["finish_reason"] = "stop" }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = PromptTokens, ["completion_tokens"] = CompletionTokens },
            }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeJudgeServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>The user message that shows the answer.</summary>
    public static string Prompt(JsonElement body)
        => body.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString()!;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
