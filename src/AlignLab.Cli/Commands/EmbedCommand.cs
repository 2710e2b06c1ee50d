using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using AlignLab.Backends.Remote;
using AlignLab.Embeddings;
using AlignLab.Engine.Formats;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab embed MODEL --texts FILE [--pooling mean|last] [--layer L] [--out FILE] [--api-key-env NAME] [--threads N]</c>: one JSON
/// line per text, <c>{"index": i, "embedding": [...]}</c>, the vector an L2-normalised pooled hidden state.
/// </summary>
internal static class EmbedCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file, a Hugging Face model folder with weights, a hub id in the local cache, or any OpenAI-compatible embeddings endpoint http(s)://HOST:PORT/v1#MODEL (alignlab serve, vLLM, OpenAI)." };
        var texts = new Option<string>("--texts") { HelpName = "FILE", Description = "A JSON array or JSON Lines of {\"text\": ...} records." };
        var pooling = new Option<string>("--pooling") { HelpName = "mean|last", DefaultValueFactory = _ => "mean", Description = "Average the hidden states over the text's tokens, or take the last token's." };
        var layer = new Option<int?>("--layer") { HelpName = "L", Description = "The residual stream after L layers (0: token embeddings); default the last layer (before the final norm)." };
        var output = new Option<string?>("--out") { HelpName = "FILE", Description = "Write the lines to FILE (atomically) instead of standard output." };
        var apiKey = new Option<string>("--api-key-env") { HelpName = "NAME", DefaultValueFactory = _ => "OPENAI_API_KEY", Description = "For a served MODEL: the environment variable whose value is sent as its API key (when set)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads the forward pass uses (default: all cores)." };
        var command = new Command("embed", "Embed texts with a model's hidden states (pooled, L2-normalised), or through a served /v1/embeddings: one JSON line per text.")
        {
            model, texts, pooling, layer, output, apiKey, threads,
        };
        command.SetAction(parse => Run(context, parse.GetValue(model)!, parse.GetValue(texts), parse.GetValue(pooling)!, parse.GetValue(layer), parse.GetValue(output),
            parse.GetValue(threads), parse.GetValue(apiKey)!));
        return command;
    }

    private static int Run(CliContext context, string modelReference, string? textsPath, string poolingName, int? layer, string? outputPath, int? threads, string apiKeyVariable)
    {
        if (string.IsNullOrWhiteSpace(textsPath))
        {
            throw new UsageException("embed: --texts is required (a JSON array or JSON Lines of {\"text\": ...} records)");
        }
        var pooling = PoolingName.Parse(poolingName, "embed", "--pooling");
        ThreadCount.Check(threads, "embed");
        var texts = TextsFile.Read(textsPath);
        using var opened = Open(modelReference, new EmbedderOptions
        {
            Layer = layer,
            Pooling = pooling,
            Threads = threads,
            Remote = new RemoteModelOptions { ApiKey = ServedApiKey.Read(context, modelReference, apiKeyVariable) },
        });
        var vectors = opened.Embedder.EmbedAll(texts);
        var lines = new StringBuilder();
        for (var i = 0; i < vectors.Count; i++)
        {
            lines.Append(Line(i, vectors[i])).Append('\n');
        }
        if (outputPath is null)
        {
            context.Out.Write(lines.ToString());
        }
        else
        {
            AtomicFile.WriteAllText(outputPath, lines.ToString());
            context.Out.WriteLine(outputPath);
        }
        return CliApp.ExitOk;
    }

    /// <summary>The embedder; a layer out of range, or a layer or pooling given for a served model, is a usage error.</summary>
    private static OpenedEmbedder Open(string reference, EmbedderOptions options)
    {
        try
        {
            return Embedders.Open(reference, options);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "layer")
        {
            throw new UsageException($"embed: --layer: {ErrorLine.MessageOf(e)}", e);
        }
        catch (ArgumentException e) when (e.ParamName == "options")
        {
            throw new UsageException($"embed: {ErrorLine.MessageOf(e)} (leave out --layer and --pooling)", e);
        }
    }

    private static string Line(int index, float[] embedding)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("index", index);
            json.WriteStartArray("embedding");
            foreach (var v in embedding)
            {
                json.WriteNumberValue(v);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
