using System.CommandLine;
using AlignLab.Server;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab serve MODEL [--host 127.0.0.1] [--port 8000] [--api-key KEY] [--served-model-name NAME]
/// [--max-concurrency N] [--context N] [--threads N] [--chat-template FILE]</c>: serves the model over an
/// OpenAI-compatible HTTP API until Ctrl+C; clients use it as the model <c>http://HOST:PORT/v1#NAME</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file, a Hugging Face model folder with weights, or a hub id in the local cache." };
        var host = new Option<string>("--host") { HelpName = "ADDRESS", DefaultValueFactory = _ => "127.0.0.1", Description = "The IP address to listen on (or localhost); 0.0.0.0 opens it to the network." };
        var port = new Option<int>("--port") { HelpName = "PORT", DefaultValueFactory = _ => 8000, Description = "The TCP port (0: any free one, printed at start)." };
        var apiKey = new Option<string?>("--api-key") { HelpName = "KEY", Description = "Require Authorization: Bearer KEY on every request but GET /health." };
        var name = new Option<string?>("--served-model-name") { HelpName = "NAME", Description = "The model name clients ask for (default: MODEL as given)." };
        var concurrency = new Option<int>("--max-concurrency") { HelpName = "N", DefaultValueFactory = _ => 4, Description = "Most sequences generated together (one KV cache each); more requests wait in a queue." };
        var contextSize = new Option<int?>("--context") { HelpName = "N", Description = "Tokens per sequence, prompt and completion (default: the model's context length, at most 4096)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads the forward pass uses (default: all cores)." };
        var embeddingPooling = new Option<string>("--embedding-pooling") { HelpName = "mean|last", DefaultValueFactory = _ => "mean", Description = "How POST /v1/embeddings pools a text's hidden states: their average, or the last token's (as alignlab embed --pooling)." };
        var embeddingLayer = new Option<int?>("--embedding-layer") { HelpName = "L", Description = "The residual stream /v1/embeddings pools: after L layers (0: token embeddings); default the last layer." };
        var template = new Option<string?>("--chat-template") { HelpName = "FILE", Description = "A Jinja chat template used instead of the model's own." };
        var command = new Command("serve", "Serve a model over an OpenAI-compatible HTTP API (/v1/completions with vLLM's prompt_logprobs, /v1/chat/completions, /v1/embeddings, /tokenize, /detokenize, /v1/models, /health) until Ctrl+C.")
        {
            model, host, port, apiKey, name, concurrency, contextSize, threads, template, embeddingPooling, embeddingLayer,
        };
        command.SetAction((parse, cancel) => RunAsync(context, ServeSettings.Create(parse.GetValue(model), parse.GetValue(host), parse.GetValue(port),
            parse.GetValue(apiKey), parse.GetValue(name), parse.GetValue(concurrency), parse.GetValue(contextSize), parse.GetValue(threads),
            parse.GetValue(template)) with
            {
                EmbeddingPooling = PoolingName.Parse(parse.GetValue(embeddingPooling)!, "serve", "--embedding-pooling"),
                EmbeddingLayer = parse.GetValue(embeddingLayer) is int layer and < 0
                    ? throw new UsageException($"serve: --embedding-layer must be at least 0, not {layer}")
                    : parse.GetValue(embeddingLayer),
            }, cancel));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ServerOptions options, CancellationToken cancel)
    {
        await using var server = await ModelServer.StartAsync(options, cancel).ConfigureAwait(false);
        context.Err.WriteLine($"serving {options.Model} on {server.BaseAddress} as \"{server.ModelName}\" (context {server.ContextSize}, {options.MaxConcurrency} sequences at once)");
        context.Err.WriteLine($"model reference for clients: {server.ModelReference}");
        context.Err.WriteLine("press Ctrl+C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            context.Err.WriteLine("stopping");
        }
        return CliApp.ExitOk;
    }
}
