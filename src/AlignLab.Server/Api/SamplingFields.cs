using System.Globalization;
using AlignLab.Engine.Generation;
using AlignLab.Server.Inference;

namespace AlignLab.Server.Api;

/// <summary>
/// The generation fields completions and chat share: n, sampling (temperature default 1, top_p, top_k,
/// min_p, repetition_penalty, seed), stop strings, vLLM's stop_token_ids / ignore_eos /
/// skip_special_tokens, streaming, token ids as "token_id:N" (return_tokens_as_token_ids) and
/// response_format (accepted, not enforced).
/// </summary>
internal sealed record SamplingFields
{
    public required int N { get; init; }

    public required SamplingOptions Sampling { get; init; }

    /// <summary>The seed of choice 0; choice j samples with Seed + j.</summary>
    public required ulong Seed { get; init; }

    public required IReadOnlyList<string> Stop { get; init; }

    /// <summary>Ids that end a sequence: the model's end-of-generation ids (unless ignore_eos) and stop_token_ids.</summary>
    public required IReadOnlyCollection<int> StopTokens { get; init; }

    public required bool SkipSpecialTokens { get; init; }

    public required bool Stream { get; init; }

    public required bool IncludeUsage { get; init; }

    public required bool TokensAsIds { get; init; }

    public static SamplingFields Read(RequestFields f, ServedModel model, ServerOptions options)
    {
        var temperature = f.Number("temperature", 0, 1000) ?? 1;
        var topK = f.Int("top_k", -1, model.VocabSize) ?? 0;
        var sampling = new SamplingOptions
        {
            Temperature = temperature,
            TopP = f.Number("top_p", 0, 1, minExclusive: true) ?? 1,
            TopK = topK < 0 ? 0 : topK, // vLLM's -1 (and 0): no top-k
            MinP = f.Number("min_p", 0, 1) ?? 0,
            RepetitionPenalty = f.Number("repetition_penalty", 0, 1000, minExclusive: true) ?? 1,
        };
        var stopTokens = f.Ints("stop_token_ids", 0, model.VocabSize - 1) ?? [];
        var ignoreEos = f.Bool("ignore_eos") ?? false;
        var stream = f.Bool("stream") ?? false;
        var streamOptions = f.Object("stream_options");
        if (streamOptions is not null && !stream)
        {
            throw ApiException.BadRequest("stream_options can only be given with stream: true", "stream_options");
        }
        CheckResponseFormat(f);
        return new SamplingFields
        {
            N = f.Int("n", 1, options.MaxChoicesPerRequest) ?? 1,
            Sampling = sampling,
            Seed = f.Long("seed") is long seed ? unchecked((ulong)seed) : (ulong)Random.Shared.NextInt64(),
            Stop = f.Strings("stop", options.MaxStopStrings),
            StopTokens = [.. (ignoreEos ? [] : model.EndOfGenerationIds).Concat(stopTokens).Distinct()],
            SkipSpecialTokens = f.Bool("skip_special_tokens") ?? true,
            Stream = stream,
            IncludeUsage = streamOptions?.Bool("include_usage") ?? false,
            TokensAsIds = f.Bool("return_tokens_as_token_ids") ?? false,
        };
    }

    /// <summary>The engine's options for one sequence of at most <paramref name="maxTokens"/> tokens reporting <paramref name="topLogprobs"/> alternatives.</summary>
    public GenerationOptions Options(int maxTokens, int topLogprobs) => new()
    {
        MaxTokens = maxTokens,
        Sampling = Sampling,
        StopStrings = Stop,
        StopTokens = StopTokens,
        TopLogProbs = topLogprobs,
        DecodeSpecialTokens = !SkipSpecialTokens,
    };

    /// <summary>The sequences of one prompt: n choices from <paramref name="firstChoice"/>, seeds Seed + j.</summary>
    public IEnumerable<SequenceRequest> Sequences(int firstChoice, int[] prompt, GenerationOptions options)
        => Enumerable.Range(0, N).Select(j => new SequenceRequest(firstChoice + j, prompt, options, unchecked(Seed + (ulong)j)));

    /// <summary>response_format is accepted as OpenAI defines it (text, json_object, json_schema) but not enforced.</summary>
    private static void CheckResponseFormat(RequestFields f)
    {
        if (f.Object("response_format") is not { } format)
        {
            return;
        }
        var type = format.String("type") ?? throw ApiException.BadRequest("response_format.type is required", "response_format.type");
        if (type is not ("text" or "json_object" or "json_schema"))
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"response_format.type is \"{type}\", it must be text, json_object or json_schema"), "response_format.type", "invalid_value");
        }
    }
}
