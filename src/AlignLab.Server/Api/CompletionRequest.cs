using System.Globalization;
using System.Text.Json;
using AlignLab.Server.Inference;

namespace AlignLab.Server.Api;

/// <summary>One prompt of a completions request: its ids and its text (for echo).</summary>
internal sealed record PromptInput(int[] Ids, string Text);

/// <summary>
/// A POST /v1/completions request, checked: prompt as a string, a list of strings, token ids (used as given,
/// no BOS added) or a list of id lists; max_tokens (default 16, 0 only with echo or prompt_logprobs),
/// echo, logprobs (top-N per token), vLLM's prompt_logprobs, and the shared <see cref="SamplingFields"/>.
/// </summary>
internal sealed record CompletionRequest(IReadOnlyList<PromptInput> Prompts, int MaxTokens, bool Echo, int? Logprobs, int? PromptLogprobs, SamplingFields Sampling)
{
    /// <summary>How many alternatives the prompts' scoring pass must keep; null when no prompt is scored.</summary>
    public int? ScoreTopK => PromptLogprobs is null && !(Echo && Logprobs is not null) ? null : Math.Max(PromptLogprobs ?? 0, Echo ? Logprobs ?? 0 : 0);

    public int ChoiceCount => Prompts.Count * Sampling.N;

    public static CompletionRequest Read(RequestFields f, ServedModel model, ServerOptions options)
    {
        ModelCheck.Ensure(f, model);
        var addSpecial = f.Bool("add_special_tokens") ?? true;
        var prompts = ReadPrompts(f, model, addSpecial);
        var echo = f.Bool("echo") ?? false;
        var logprobs = f.Int("logprobs", 0, options.MaxLogprobs);
        var promptLogprobs = f.Int("prompt_logprobs", 0, options.MaxLogprobs);
        var maxTokens = f.Int("max_tokens", 0, int.MaxValue) ?? 16;
        var sampling = SamplingFields.Read(f, model, options);
        if (promptLogprobs is not null && sampling.Stream)
        {
            throw ApiException.BadRequest("prompt_logprobs are not available when stream is true", "prompt_logprobs");
        }
        if (maxTokens == 0 && !echo && promptLogprobs is null)
        {
            throw ApiException.BadRequest("max_tokens is 0: it must be at least 1 unless echo or prompt_logprobs is given", "max_tokens", "invalid_value");
        }
        if (prompts.Count * sampling.N > options.MaxChoicesPerRequest)
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"{prompts.Count} prompts × n {sampling.N} choices exceed the server's limit of {options.MaxChoicesPerRequest} per request"), "n", "invalid_value");
        }
        for (var i = 0; i < prompts.Count; i++)
        {
            ContextCheck.Ensure(prompts[i].Ids.Length, maxTokens, model.ContextSize, prompts.Count == 1 ? "prompt" : $"prompt[{i}]", "max_tokens");
        }
        return new CompletionRequest(prompts, maxTokens, echo, logprobs, promptLogprobs, sampling);
    }

    private static List<PromptInput> ReadPrompts(RequestFields f, ServedModel model, bool addSpecial)
    {
        var prompt = f.Get("prompt") ?? throw ApiException.BadRequest("prompt is required", "prompt", "missing_field");
        var max = model.VocabSize - 1;
        List<PromptInput> prompts;
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                prompts = [Text(prompt.GetString()!, model, addSpecial)];
                break;
            case JsonValueKind.Array when prompt.GetArrayLength() == 0:
                throw ApiException.BadRequest("prompt is an empty list", "prompt", "invalid_value");
            case JsonValueKind.Array:
                prompts = prompt[0].ValueKind switch
                {
                    JsonValueKind.Number => [Ids(RequestFields.ReadInts(prompt, "prompt", 0, max), model)],
                    JsonValueKind.String => [.. prompt.EnumerateArray().Select((p, i) => p.ValueKind == JsonValueKind.String
                        ? Text(p.GetString()!, model, addSpecial)
                        : throw Mixed(i, p))],
                    JsonValueKind.Array => [.. prompt.EnumerateArray().Select((p, i) => Ids(RequestFields.ReadInts(p, $"prompt[{i}]", 0, max), model))],
                    _ => throw Mixed(0, prompt[0]),
                };
                break;
            default:
                throw ApiException.BadRequest($"prompt must be a string, a list of strings or a list of token ids, not {RequestFields.KindOf(prompt)}", "prompt", "invalid_type");
        }
        var empty = prompts.FindIndex(p => p.Ids.Length == 0);
        if (empty >= 0)
        {
            throw ApiException.BadRequest((prompts.Count == 1 ? "prompt" : $"prompt[{empty}]") + " has no tokens: at least one is needed", "prompt", "invalid_value");
        }
        return prompts;
    }

    private static PromptInput Text(string text, ServedModel model, bool addSpecial) => new(model.Encode(text, addSpecial, parseSpecial: true), text);

    private static PromptInput Ids(int[] ids, ServedModel model) => new(ids, model.Tokenizer.Decode(ids));

    private static ApiException Mixed(int index, JsonElement value)
        => ApiException.BadRequest($"prompt[{index}] is {RequestFields.KindOf(value)}: a list prompt holds only strings, only token ids, or only lists of token ids", "prompt", "invalid_type");
}
