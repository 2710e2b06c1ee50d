using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlignLab.Server;

namespace AlignLab.Bench.Serving;

/// <summary>
/// "load-check (--model MODEL | --url http://HOST:PORT/v1#NAME) [--clients 16] [--seconds 60] [--max-tokens 32]
/// [--max-concurrency 4] [--api-key KEY]": many clients send completions for a while (plain, streamed, and with
/// prompt_logprobs, in turn) against a server — one started here over MODEL on a free loopback port, or a running
/// one — and every answer is checked (status 200, one choice, 1 to max-tokens completion tokens, prompt_logprobs
/// with one entry per prompt token, a stream that ends in [DONE]). Prints requests, errors, lost requests (sent
/// but never answered whole), throughput and latency percentiles as one JSON line; exit 1 when anything failed.
/// </summary>
internal static class LoadCheck
{
    private static readonly string[] Prompts =
    [
        "Once upon a time", "The capital of France is", "Write a haiku about the sea.", "1, 2, 3, 4,",
        "Explain why the sky is blue.", "def fibonacci(n):", "The quick brown fox", "In 1492,",
    ];

    public static int Run(string[] args)
    {
        if (!Settings.TryParse(args, out var settings, out var problem))
        {
            Console.Error.WriteLine("usage: load-check (--model MODEL | --url http://HOST:PORT/v1#NAME) [--clients N] [--seconds S] [--max-tokens N] [--max-concurrency N] [--api-key KEY]");
            Console.Error.WriteLine("error: " + problem);
            return 2;
        }
        return RunAsync(settings).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Settings settings)
    {
        ModelServer? server = null;
        var reference = settings.Url;
        if (settings.Model is not null)
        {
            server = await ModelServer.StartAsync(new ServerOptions { Model = settings.Model, Port = 0, MaxConcurrency = settings.MaxConcurrency, ApiKey = settings.ApiKey });
            reference = server.ModelReference;
        }
        try
        {
            var hash = reference!.IndexOf('#', StringComparison.Ordinal);
            var apiBase = new Uri(reference[..hash].TrimEnd('/') + "/");
            var model = Uri.UnescapeDataString(reference[(hash + 1)..]);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients }) { BaseAddress = apiBase, Timeout = TimeSpan.FromMinutes(10) };
            if (settings.ApiKey is not null)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
            }
            var tally = new Tally();
            var clock = Stopwatch.StartNew();
            var end = TimeSpan.FromSeconds(settings.Seconds);
            await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(client => ClientAsync(http, model, settings, client, clock, end, tally)));
            var elapsed = clock.Elapsed.TotalSeconds;
            var report = tally.Report(elapsed, server?.Stats);
            Console.WriteLine(JsonSerializer.Serialize(report));
            return tally.Errors == 0 && tally.Lost == 0 ? 0 : 1;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task ClientAsync(HttpClient http, string model, Settings settings, int client, Stopwatch clock, TimeSpan end, Tally tally)
    {
        for (var i = 0; clock.Elapsed < end; i++)
        {
            var kind = (client + i) % 3; // 0 plain, 1 streamed, 2 with prompt_logprobs
            var prompt = Prompts[(client * 7 + i) % Prompts.Length];
            var fields = new Dictionary<string, object>
            {
                ["model"] = model,
                ["prompt"] = prompt,
                ["max_tokens"] = settings.MaxTokens,
                ["temperature"] = 0.7,
                ["seed"] = client * 1000 + i,
                ["stream"] = kind == 1,
            };
            if (kind == 2)
            {
                fields["prompt_logprobs"] = 5;
            }
            var body = JsonSerializer.Serialize(fields);
            tally.Sent();
            var started = clock.Elapsed;
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri("completions", UriKind.Relative), content);
                var text = await response.Content.ReadAsStringAsync();
                var problem = (int)response.StatusCode != 200 ? $"HTTP {(int)response.StatusCode}: {text}" : kind == 1 ? CheckStream(text, settings.MaxTokens) : CheckWhole(text, settings.MaxTokens, kind == 2);
                tally.Answered(clock.Elapsed - started, problem);
            }
#pragma warning disable CA1031 // every failure is counted and reported, the run goes on
            catch (Exception e)
#pragma warning restore CA1031
            {
                tally.Answered(clock.Elapsed - started, e.GetType().Name + ": " + e.Message);
            }
        }
    }

    /// <summary>Null when a whole answer is right; else what is wrong.</summary>
    private static string? CheckWhole(string text, int maxTokens, bool promptLogprobs)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var choices = root.GetProperty("choices");
        if (choices.GetArrayLength() != 1)
        {
            return "not one choice";
        }
        var usage = root.GetProperty("usage");
        var completion = usage.GetProperty("completion_tokens").GetInt32();
        if (completion < 1 || completion > maxTokens)
        {
            return $"{completion} completion tokens";
        }
        if (promptLogprobs)
        {
            var list = choices[0].GetProperty("prompt_logprobs");
            if (list.GetArrayLength() != usage.GetProperty("prompt_tokens").GetInt32() || list[0].ValueKind != JsonValueKind.Null)
            {
                return "prompt_logprobs do not cover the prompt";
            }
        }
        return null;
    }

    private static string? CheckStream(string text, int maxTokens)
    {
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        if (events.Length == 0 || events[^1] != "data: [DONE]")
        {
            return "the stream did not end with [DONE]";
        }
        var finished = events.SkipLast(1).Count(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        return finished == 1 && events.Length - 1 <= maxTokens ? null : $"{finished} finished chunks in {events.Length - 1}";
    }

    private sealed class Tally
    {
        private readonly List<double> _latencies = [];
        private readonly List<string> _problems = [];
        private int _sent;

        public int Errors => _problems.Count;

        public int Lost => _sent - _latencies.Count;

        public void Sent() => Interlocked.Increment(ref _sent);

        public void Answered(TimeSpan latency, string? problem)
        {
            lock (_latencies)
            {
                _latencies.Add(latency.TotalMilliseconds);
                if (problem is not null)
                {
                    _problems.Add(problem);
                }
            }
        }

        public object Report(double seconds, AlignLab.Server.Inference.ServerStats? stats)
        {
            var sorted = _latencies.Order().ToArray();
            double Percentile(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new
            {
                requests = _sent,
                answered = sorted.Length,
                errors = Errors,
                lost = Lost,
                first_errors = _problems.Take(5).ToArray(),
                seconds = Math.Round(seconds, 1),
                requests_per_second = Math.Round(sorted.Length / seconds, 2),
                tokens_per_second = stats is null ? (double?)null : Math.Round(stats.TokensGenerated / seconds, 1),
                latency_ms = new { p50 = Math.Round(Percentile(0.5)), p90 = Math.Round(Percentile(0.9)), p99 = Math.Round(Percentile(0.99)), max = Math.Round(sorted.LastOrDefault()) },
                server = stats is null ? null : new { requests = stats.Requests, sequences_finished = stats.SequencesFinished, cancelled = stats.SequencesCancelled, rejected = stats.Rejected },
            };
        }
    }

    private sealed record Settings(string? Model, string? Url, int Clients, int Seconds, int MaxTokens, int MaxConcurrency, string? ApiKey)
    {
        public static bool TryParse(string[] args, out Settings settings, out string problem)
        {
            settings = new Settings(null, null, 16, 60, 32, 4, null);
            problem = "";
            for (var i = 1; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : null;
                if (value is null)
                {
                    problem = $"{args[i]} needs a value";
                    return false;
                }
                int Number() => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1;
                settings = args[i] switch
                {
                    "--model" => settings with { Model = value },
                    "--url" => settings with { Url = value },
                    "--clients" => settings with { Clients = Number() },
                    "--seconds" => settings with { Seconds = Number() },
                    "--max-tokens" => settings with { MaxTokens = Number() },
                    "--max-concurrency" => settings with { MaxConcurrency = Number() },
                    "--api-key" => settings with { ApiKey = value },
                    _ => settings with { Clients = int.MinValue },
                };
                if (settings.Clients == int.MinValue)
                {
                    problem = $"unknown option {args[i]}";
                    return false;
                }
                i++;
            }
            problem = (settings.Model is null) == (settings.Url is null) ? "give --model or --url, not both"
                : settings.Url is { } url && !url.Contains('#', StringComparison.Ordinal) ? "--url must be http://HOST:PORT/v1#NAME"
                : new[] { settings.Clients, settings.Seconds, settings.MaxTokens, settings.MaxConcurrency }.Any(n => n < 1) ? "counts must be positive integers"
                : "";
            return problem.Length == 0;
        }
    }
}
