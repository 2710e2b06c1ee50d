using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab bench MODEL [--prompt-tokens 512] [--gen-tokens 128] [--threads N] [--runs 3] [--json]</c>:
/// tokens per second of (a) teacher-forced scoring of the prompt with the full next-token distribution
/// at every position (log-softmax over the whole vocabulary, top 10, next-token log-probability, rank,
/// entropy: <see cref="InferenceSession.Score"/>), (b) plain prefill (logits of the last position only)
/// and (c) greedy decoding of --gen-tokens tokens after a 64-token prompt, end of generation ignored
/// (the prompt is not timed; each timed step runs the previous token and picks the next).
/// The prompt is deterministic random ids (bench/llama-cpp/bench.mjs draws the same ones). One untimed
/// warm-up round, then the median of --runs rounds. --json prints
/// <c>{"score_all_tps", "prefill_tps", "decode_tps", "threads"}</c> as one line.
/// </summary>
internal static class BenchCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file, a Hugging Face model folder, or a hub id in the local cache." };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Tokens scored and prefilled.", DefaultValueFactory = _ => 512 };
        var genTokens = new Option<int>("--gen-tokens") { Description = "Greedy tokens decoded after a 64-token prompt.", DefaultValueFactory = _ => 128 };
        var threads = new Option<int?>("--threads") { Description = "Threads to run on (default: chosen per phase from the machine's cores)." };
        var runs = new Option<int>("--runs") { Description = "Timed rounds; the median is reported.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (one line) instead of text." };
        var command = new Command("bench", "Measure scoring, prefill and decode speed in tokens per second.");
        command.Arguments.Add(model);
        command.Options.Add(promptTokens);
        command.Options.Add(genTokens);
        command.Options.Add(threads);
        command.Options.Add(runs);
        command.Options.Add(json);
        command.SetAction(parse => Run(BenchSettings.Create(parse.GetValue(model), parse.GetValue(promptTokens), parse.GetValue(genTokens),
            parse.GetValue(threads), parse.GetValue(runs), parse.GetValue(json)), context));
        return command;
    }

    private static int Run(BenchSettings settings, CliContext context)
    {
        using var local = LocalModel.Open(settings.Model);
        using var model = LlamaModel.FromWeights(new ModelWeights(local.Tensors, local.ReadConfig()));
        if (settings.ContextSize > model.Config.ContextLength)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"bench: {settings.ContextSize} positions exceed the model's context length of {model.Config.ContextLength}"));
        }
        using var session = model.CreateSession(new SessionOptions { ContextSize = settings.ContextSize, Threads = settings.Threads });
        var prompt = Tokens(settings.PromptTokens, model.VocabSize);
        var scoreOptions = new ScoreOptions();

        double ScoreAll() => Time(() => session.Score(prompt, 0, scoreOptions), settings.PromptTokens);
        double Prefill() => Time(() =>
        {
            session.Reset();
            session.Prefill(prompt);
        }, settings.PromptTokens);
        double Decode()
        {
            session.Reset();
            var token = TensorPrimitives.IndexOfMax(session.Prefill(prompt.AsSpan(0, Math.Min(BenchSettings.DecodePromptTokens, prompt.Length))));
            return Time(() =>
            {
                for (var i = 0; i < settings.GenTokens; i++)
                {
                    token = TensorPrimitives.IndexOfMax(session.Step(token));
                }
            }, settings.GenTokens);
        }

        ScoreAll(); // warm-up: JIT, first touch of the mapped weights, thread start
        Prefill();
        Decode();
        var rounds = Enumerable.Range(0, settings.Runs).Select(_ => (Score: ScoreAll(), Prefill: Prefill(), Decode: Decode())).ToList();
        var (score, prefill, decode) = (Median(rounds.Select(r => r.Score)), Median(rounds.Select(r => r.Prefill)), Median(rounds.Select(r => r.Decode)));
        var threads = session.BatchThreads == session.DecodeThreads ? session.BatchThreads : Math.Max(session.BatchThreads, session.DecodeThreads);
        if (settings.Json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new { score_all_tps = Round(score), prefill_tps = Round(prefill), decode_tps = Round(decode), threads }));
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $$"""
                model:     {{model}}
                threads:   {{session.BatchThreads}} for batches, {{session.DecodeThreads}} for decode steps
                score_all: {{Round(score)}} tokens/s ({{settings.PromptTokens}} positions, full log-softmax each)
                prefill:   {{Round(prefill)}} tokens/s ({{settings.PromptTokens}} tokens)
                decode:    {{Round(decode)}} tokens/s ({{settings.GenTokens}} greedy tokens after {{BenchSettings.DecodePromptTokens}})
                (median of {{settings.Runs}} runs after a warm-up)
                """));
        }
        return CliApp.ExitOk;
    }

    /// <summary>
    /// <paramref name="count"/> ids from a 32-bit LCG (Numerical Recipes constants) seeded with 1234, each
    /// the state's high bits scaled to the vocabulary: floor(state · vocab / 2³²).
    /// </summary>
    internal static int[] Tokens(int count, int vocab)
    {
        var state = 1234u;
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            state = unchecked((state * 1664525u) + 1013904223u);
            ids[i] = (int)((ulong)state * (ulong)vocab >> 32);
        }
        return ids;
    }

    private static double Time(Action run, int tokens)
    {
        var watch = Stopwatch.StartNew();
        run();
        return tokens / watch.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static double Round(double tokensPerSecond) => Math.Round(tokensPerSecond, 1);
}
