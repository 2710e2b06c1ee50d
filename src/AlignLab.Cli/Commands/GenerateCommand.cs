using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab generate MODEL --prompt TEXT [--chat [--system TEXT]] [sampling options] [--stop STR]... [--json]</c>:
/// streams the generated text to stdout, or with --json one line per token and a summary line last.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The shapes of the --json lines, as --help and the README give them.</summary>
    public const string JsonShape =
        "One JSON line per generated token: {\"index\": i, \"id\": id, \"token\": vocabulary string, \"text\": text it released, "
        + "\"logprob\": x, \"rank\": r, \"top\": [[id, logprob], ...]} (logprob, rank and top under the model's unmodified distribution: "
        + "log-softmax of the raw logits, before penalty, temperature and filters; rank = 1 + ids with a strictly higher logprob), "
        + "then a summary line: {\"end\": \"stop_string\"|\"stop_token\"|\"max_tokens\"|\"context_full\", \"prompt_tokens\": n, "
        + "\"generated_tokens\": m, \"text\": full text, \"prefill_seconds\": s, \"decode_seconds\": s, \"tokens_per_second\": x}.";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file, a Hugging Face model folder with weights, or a hub id in the local cache." };
        var prompt = new Option<string>("--prompt") { Required = true, HelpName = "TEXT", Description = "The prompt (special tokens parsed; BOS added when the model's tokenizer adds one and the text lacks it)." };
        var chat = new Option<bool>("--chat") { Description = "Format the prompt as a user message with the model's chat template (add_generation_prompt)." };
        var system = new Option<string?>("--system") { HelpName = "TEXT", Description = "With --chat: a system message before the user message." };
        var maxTokens = new Option<int>("--max-tokens") { HelpName = "N", DefaultValueFactory = _ => 256, Description = "Most tokens to generate, a stop token included." };
        var temperature = new Option<double>("--temperature") { HelpName = "T", Description = "0 (default) is greedy; otherwise sample from softmax(logits / T)." };
        var topP = new Option<double>("--top-p") { HelpName = "P", DefaultValueFactory = _ => 1, Description = "Nucleus sampling: the most likely tokens until their mass reaches P (1: off)." };
        var topK = new Option<int>("--top-k") { HelpName = "K", Description = "Sample among the K most likely tokens (default 0: off; 1 is greedy)." };
        var minP = new Option<double>("--min-p") { HelpName = "P", Description = "Drop tokens less than P times as likely as the most likely one (default 0: off)." };
        var repetition = new Option<double>("--repetition-penalty") { HelpName = "R", DefaultValueFactory = _ => 1, Description = "Divide positive, multiply negative logits of tokens already in the sequence, prompt included (1: off)." };
        var window = new Option<int>("--repetition-window") { HelpName = "N", Description = "The penalty looks at the last N tokens of the sequence (default 0: all of it, as Hugging Face; llama.cpp uses 64)." };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "Seed of the sampler's own PRNG (default 0): the same seed gives the same tokens." };
        var stop = new Option<string[]>("--stop") { HelpName = "STR", Description = "End when the text contains STR (repeatable); STR is not printed." };
        var topLogProbs = new Option<int>("--top-logprobs") { HelpName = "N", DefaultValueFactory = _ => 5, Description = "With --json: how many of the most likely tokens each line lists." };
        var json = new Option<bool>("--json") { Description = JsonShape };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads the forward pass uses (default: all cores)." };
        var command = new Command("generate", "Generate text from a prompt, streamed to stdout as it is produced. Greedy unless --temperature is given; only the sampling options given apply (a model's generation_config.json sampling defaults are not used). Stops at the model's end-of-generation tokens, a --stop string, --max-tokens or the end of the context.")
        {
            model, prompt, chat, system, maxTokens, temperature, topP, topK, minP, repetition, window, seed, stop, topLogProbs, json, threads,
        };
        command.SetAction((parse, cancel) =>
        {
            var sampling = new SamplingOptions
            {
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                MinP = parse.GetValue(minP),
                RepetitionPenalty = parse.GetValue(repetition),
                RepetitionWindow = parse.GetValue(window),
                Seed = parse.GetValue(seed),
            };
            var settings = GenerateSettings.Create(parse.GetValue(model), parse.GetValue(prompt), parse.GetValue(chat), parse.GetValue(system),
                parse.GetValue(maxTokens), sampling, parse.GetValue(stop) ?? [], parse.GetValue(topLogProbs), parse.GetValue(json), parse.GetValue(threads));
            return Task.FromResult(Run(context, settings, cancel));
        });
        return command;
    }

    private static int Run(CliContext context, GenerateSettings settings, CancellationToken cancel)
    {
        using var local = LocalModel.Open(settings.Model);
        using var model = LlamaModel.Load(local);
        var tokenizer = local.LoadTokenizer();
        var prompt = settings.Chat ? Prompts.Chat(local, tokenizer, settings.Prompt, settings.System) : Prompts.Plain(tokenizer, settings.Prompt);
        using var generator = new TextGenerator(model, tokenizer, GenerationDefaults.EndOfGenerationIds(local, tokenizer), new SessionOptions { Threads = settings.Threads });
        var options = settings.Json ? settings.Options : settings.Options with { TopLogProbs = 0 };
        var generation = generator.Start(prompt, options);
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, JsonOptions);
        foreach (var token in generation)
        {
            cancel.ThrowIfCancellationRequested();
            if (settings.Json)
            {
                WriteJsonLine(context.Out, buffer, json, w => WriteToken(w, token, tokenizer));
            }
            else if (token.Text.Length > 0)
            {
                context.Out.Write(token.Text);
                context.Out.Flush();
            }
        }
        var result = generation.Result;
        if (settings.Json)
        {
            WriteJsonLine(context.Out, buffer, json, w => WriteSummary(w, result));
        }
        else
        {
            context.Out.WriteLine();
            context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{EndName(result.EndReason)}: {result.PromptTokenCount} prompt tokens in {result.PrefillTime.TotalSeconds:F2} s, {result.GeneratedTokenCount} generated, {result.TokensPerSecond:F1} tokens/s]"));
        }
        context.Out.Flush();
        return CliApp.ExitOk;
    }

    public static string EndName(GenerationEndReason reason) => reason switch
    {
        GenerationEndReason.StopString => "stop_string",
        GenerationEndReason.StopToken => "stop_token",
        GenerationEndReason.MaxTokens => "max_tokens",
        GenerationEndReason.ContextFull => "context_full",
        _ => throw new UnreachableException($"generation ended without a reason ({reason})"),
    };

    private static void WriteJsonLine(TextWriter output, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, Action<Utf8JsonWriter> write)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        write(json);
        json.Flush();
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Flush();
    }

    private static void WriteToken(Utf8JsonWriter json, GeneratedToken token, Tokenizer tokenizer)
    {
        json.WriteStartObject();
        json.WriteNumber("index", token.Index);
        json.WriteNumber("id", token.Id);
        json.WriteString("token", tokenizer.IdToToken(token.Id));
        json.WriteString("text", token.Text);
        json.WriteNumber("logprob", token.LogProb);
        json.WriteNumber("rank", token.Rank);
        JsonLines.WriteTop(json, token.TopIds.Span, token.TopLogProbs.Span);
        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, GenerationResult result)
    {
        json.WriteStartObject();
        json.WriteString("end", EndName(result.EndReason));
        json.WriteNumber("prompt_tokens", result.PromptTokenCount);
        json.WriteNumber("generated_tokens", result.GeneratedTokenCount);
        json.WriteString("text", result.Text);
        json.WriteNumber("prefill_seconds", Math.Round(result.PrefillTime.TotalSeconds, 6));
        json.WriteNumber("decode_seconds", Math.Round(result.DecodeTime.TotalSeconds, 6));
        json.WriteNumber("tokens_per_second", Math.Round(result.TokensPerSecond, 3));
        json.WriteEndObject();
    }
}

/// <summary>What <c>alignlab generate</c> was asked to do, validated.</summary>
internal sealed record GenerateSettings(string Model, string Prompt, bool Chat, string? System, GenerationOptions Options, bool Json, int? Threads)
{
    public static GenerateSettings Create(string? model, string? prompt, bool chat, string? system, int maxTokens, SamplingOptions sampling,
        string[] stops, int topLogProbs, bool json, int? threads)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("generate: MODEL is required");
        }
        if (prompt is null)
        {
            throw new UsageException("generate: --prompt is required");
        }
        if (system is not null && !chat)
        {
            throw new UsageException("generate: --system goes with --chat");
        }
        if (maxTokens <= 0)
        {
            throw new UsageException($"generate: --max-tokens {maxTokens} must be ≥ 1");
        }
        if (topLogProbs < 0)
        {
            throw new UsageException($"generate: --top-logprobs {topLogProbs} must be ≥ 0");
        }
        if (stops.Any(string.IsNullOrEmpty))
        {
            throw new UsageException("generate: --stop needs a non-empty string");
        }
        try
        {
            sampling.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException("generate: " + ErrorLine.MessageOf(e), e);
        }
        var options = new GenerationOptions { MaxTokens = maxTokens, Sampling = sampling, StopStrings = stops, TopLogProbs = topLogProbs };
        return new GenerateSettings(model, prompt, chat, system, options, json, ThreadCount.Check(threads, "generate"));
    }
}
