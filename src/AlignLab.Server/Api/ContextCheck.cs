using System.Globalization;

namespace AlignLab.Server.Api;

/// <summary>A prompt and its completion must fit the served context (max_model_len), or the request is a 400.</summary>
internal static class ContextCheck
{
    public static void Ensure(int promptTokens, int maxTokens, int context, string promptParam, string maxTokensParam)
    {
        if (promptTokens > context)
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"This model's maximum context length is {context} tokens. However, the prompt has {promptTokens} tokens. Please reduce the length of the prompt."),
                promptParam, "context_length_exceeded");
        }
        if ((long)promptTokens + maxTokens > context)
        {
            throw ApiException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"This model's maximum context length is {context} tokens. However, you requested {(long)promptTokens + maxTokens} tokens ({promptTokens} in the prompt, {maxTokens} for the completion). Please reduce the length of the prompt or {maxTokensParam}."),
                maxTokensParam, "context_length_exceeded");
        }
    }
}
