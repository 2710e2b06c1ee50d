using AlignLab.Server.Inference;

namespace AlignLab.Server.Api;

/// <summary>
/// A POST /v1/chat/completions request, checked: messages (content a string or a list of text parts) rendered by
/// the chat template with add_generation_prompt, then tokenized as the engine's chat prompts are (BOS only when
/// the tokenizer adds one and the template did not write it; add_special_tokens false: nothing added);
/// max_completion_tokens or max_tokens (default: the rest of the context); logprobs with top_logprobs;
/// vLLM's prompt_logprobs; and the shared <see cref="SamplingFields"/>.
/// </summary>
internal sealed record ChatRequest(int[] Prompt, int MaxTokens, bool Logprobs, int TopLogprobs, int? PromptLogprobs, SamplingFields Sampling)
{
    public static ChatRequest Read(RequestFields f, ServedModel model, ServerOptions options)
    {
        ModelCheck.Ensure(f, model);
        var text = ChatMessages.Render(f, model);
        var prompt = model.Encode(text, f.Bool("add_special_tokens") ?? true, parseSpecial: true);
        if (prompt.Length == 0)
        {
            throw ApiException.BadRequest("the rendered conversation has no tokens", "messages", "invalid_value");
        }
        var logprobs = f.Bool("logprobs") ?? false;
        var topLogprobs = f.Int("top_logprobs", 0, options.MaxLogprobs) ?? 0;
        if (topLogprobs > 0 && !logprobs)
        {
            throw ApiException.BadRequest("top_logprobs needs logprobs: true", "top_logprobs");
        }
        var promptLogprobs = f.Int("prompt_logprobs", 0, options.MaxLogprobs);
        var sampling = SamplingFields.Read(f, model, options);
        if (promptLogprobs is not null && sampling.Stream)
        {
            throw ApiException.BadRequest("prompt_logprobs are not available when stream is true", "prompt_logprobs");
        }
        var (maxTokens, param) = f.Int("max_completion_tokens", 1, int.MaxValue) is int completion
            ? (completion, "max_completion_tokens")
            : (f.Int("max_tokens", 1, int.MaxValue) ?? Math.Max(1, model.ContextSize - prompt.Length), "max_tokens");
        ContextCheck.Ensure(prompt.Length, maxTokens, model.ContextSize, "messages", param);
        return new ChatRequest(prompt, maxTokens, logprobs, topLogprobs, promptLogprobs, sampling);
    }
}
