using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// POST /v1/chat/completions: renders the conversation, optionally scores it (vLLM's prompt_logprobs, given at
/// the top level as vLLM does), generates n choices and answers in OpenAI's chat.completion shape, whole or as
/// chat.completion.chunk events (the first delta of each choice carries the role).
/// </summary>
internal sealed class ChatEndpoint(ServedModel model, InferenceScheduler scheduler, ServerOptions options)
{
    public async Task HandleAsync(HttpContext http)
    {
        var cancel = http.RequestAborted;
        ChatRequest request;
        using (var body = await RequestBody.ReadJsonAsync(http.Request, options.MaxRequestBytes, cancel).ConfigureAwait(false))
        {
            request = ChatRequest.Read(new RequestFields(body.RootElement, ""), model, options);
        }
        var scores = request.PromptLogprobs is int topK
            ? await scheduler.ScoreAsync(request.Prompt, topK, cancel).WaitAsync(cancel).ConfigureAwait(false)
            : null;
        var generation = request.Sampling.Options(request.MaxTokens, request.Logprobs ? request.TopLogprobs : 0);
        var events = scheduler.Generate([.. request.Sampling.Sequences(0, request.Prompt, generation)], cancel);
        var response = new ChatResponse(model, request, scores);
        if (request.Sampling.Stream)
        {
            var sse = new SseStream(http.Response);
            await sse.StartAsync(cancel).ConfigureAwait(false);
            for (var c = 0; c < request.Sampling.N; c++)
            {
                await sse.WriteAsync(json => response.RoleChunk(json, c), cancel).ConfigureAwait(false);
            }
            await foreach (var token in events.ReadAllAsync(cancel).ConfigureAwait(false))
            {
                await sse.WriteAsync(json => response.TokenChunk(json, token), cancel).ConfigureAwait(false);
            }
            if (request.Sampling.IncludeUsage)
            {
                await sse.WriteAsync(response.UsageChunk, cancel).ConfigureAwait(false);
            }
            await sse.DoneAsync(cancel).ConfigureAwait(false);
            return;
        }
        await foreach (var token in events.ReadAllAsync(cancel).ConfigureAwait(false))
        {
            response.Add(token);
        }
        await JsonOutput.WriteAsync(http.Response, StatusCodes.Status200OK, response.Whole, cancel).ConfigureAwait(false);
    }

    private sealed class ChatResponse(ServedModel model, ChatRequest request, ScoreResult? scores)
    {
        private readonly ChoiceState[] _choices = [.. Enumerable.Range(0, request.Sampling.N).Select(i => new ChoiceState(i))];
        private const string ChunkType = "chat.completion.chunk";
        private readonly ResponseEnvelope _envelope = new("chatcmpl-", model.Name);

        public void Add(TokenEvent token) => _choices[token.Choice].Add(token);

        public void Whole(Utf8JsonWriter json)
        {
            _envelope.Open(json, "chat.completion");
            json.WriteStartArray("choices");
            foreach (var choice in _choices)
            {
                json.WriteStartObject();
                json.WriteNumber("index", choice.Index);
                json.WriteStartObject("message");
                json.WriteString("role", "assistant");
                json.WriteString("content", choice.Text);
                json.WriteEndObject();
                Logprobs(json, choice.Tokens);
                json.WriteString("finish_reason", choice.FinishReason);
                JsonOutput.WriteStopReason(json, choice.StopReason(model, request.Sampling.Stop, request.Sampling.SkipSpecialTokens));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            Usage(json);
            if (scores is not null)
            {
                LogprobsJson.PromptLogprobs(json, "prompt_logprobs", model, scores, request.Prompt, request.PromptLogprobs ?? 0);
            }
            else
            {
                json.WriteNull("prompt_logprobs");
            }
            json.WriteEndObject();
        }

        /// <summary>A choice's first chunk: the assistant role and empty content.</summary>
        public void RoleChunk(Utf8JsonWriter json, int choice)
        {
            _envelope.OpenChoiceChunk(json, ChunkType, choice);
            json.WriteStartObject("delta");
            json.WriteString("role", "assistant");
            json.WriteString("content", "");
            json.WriteEndObject();
            json.WriteNull("logprobs");
            ResponseEnvelope.CloseChoiceChunk(json, null, null);
        }

        public void TokenChunk(Utf8JsonWriter json, TokenEvent token)
        {
            var state = _choices[token.Choice];
            state.Add(token);
            _envelope.OpenChoiceChunk(json, ChunkType, token.Choice);
            json.WriteStartObject("delta");
            json.WriteString("content", token.Text);
            json.WriteEndObject();
            Logprobs(json, [token]);
            ResponseEnvelope.CloseChoiceChunk(json, token.IsLast ? state.FinishReason : null,
                token.IsLast ? state.StopReason(model, request.Sampling.Stop, request.Sampling.SkipSpecialTokens) : null);
        }

        public void UsageChunk(Utf8JsonWriter json) => _envelope.UsageChunk(json, ChunkType, request.Prompt.Length, CompletionTokens);

        private void Logprobs(Utf8JsonWriter json, IReadOnlyList<TokenEvent> tokens)
        {
            if (request.Logprobs)
            {
                LogprobsJson.Chat(json, model, tokens, request.Sampling.TokensAsIds);
            }
            else
            {
                json.WriteNull("logprobs");
            }
        }

        private int CompletionTokens => _choices.Sum(c => c.Tokens.Count);

        private void Usage(Utf8JsonWriter json) => JsonOutput.Usage(json, request.Prompt.Length, CompletionTokens);
    }
}
