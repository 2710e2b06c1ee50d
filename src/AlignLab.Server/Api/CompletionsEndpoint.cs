using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// POST /v1/completions: scores the prompts first when prompt_logprobs or echo with logprobs asks for it,
/// then generates n choices per prompt (choice index = prompt index × n + j) and answers in OpenAI's /
/// vLLM's text_completion shape, whole or streamed as server-sent events.
/// </summary>
internal sealed class CompletionsEndpoint(ServedModel model, InferenceScheduler scheduler, ServerOptions options)
{
    public async Task HandleAsync(HttpContext http)
    {
        var cancel = http.RequestAborted;
        CompletionRequest request;
        using (var body = await RequestBody.ReadJsonAsync(http.Request, options.MaxRequestBytes, cancel).ConfigureAwait(false))
        {
            request = CompletionRequest.Read(new RequestFields(body.RootElement, ""), model, options);
        }
        var scores = new ScoreResult?[request.Prompts.Count];
        if (request.ScoreTopK is int topK)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = await scheduler.ScoreAsync(request.Prompts[i].Ids, topK, cancel).WaitAsync(cancel).ConfigureAwait(false);
            }
        }
        var n = request.Sampling.N;
        var generationOptions = request.MaxTokens > 0 ? request.Sampling.Options(request.MaxTokens, request.Logprobs ?? 0) : null;
        var sequences = generationOptions is null
            ? []
            : request.Prompts.SelectMany((p, i) => request.Sampling.Sequences(i * n, p.Ids, generationOptions)).ToList();
        var events = scheduler.Generate(sequences, cancel);
        var response = new CompletionResponse(model, request, scores);
        if (request.Sampling.Stream)
        {
            var sse = new SseStream(http.Response);
            await sse.StartAsync(cancel).ConfigureAwait(false);
            for (var c = 0; c < request.ChoiceCount; c++)
            {
                if (request.Echo)
                {
                    await sse.WriteAsync(json => response.EchoChunk(json, c), cancel).ConfigureAwait(false);
                }
            }
            await foreach (var token in events.ReadAllAsync(cancel).ConfigureAwait(false))
            {
                await sse.WriteAsync(json => response.TokenChunk(json, token), cancel).ConfigureAwait(false);
            }
            if (sequences.Count == 0)
            {
                for (var c = 0; c < request.ChoiceCount; c++)
                {
                    await sse.WriteAsync(json => response.EndChunk(json, c), cancel).ConfigureAwait(false);
                }
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

    /// <summary>The text_completion object of one request, whole or chunk by chunk.</summary>
    private sealed class CompletionResponse
    {
        private const string Type = "text_completion";
        private readonly ServedModel _model;
        private readonly CompletionRequest _request;
        private readonly ScoreResult?[] _scores;
        private readonly ChoiceState[] _choices;
        private readonly ResponseEnvelope _envelope;

        public CompletionResponse(ServedModel model, CompletionRequest request, ScoreResult?[] scores)
        {
            _model = model;
            _request = request;
            _scores = scores;
            _choices = [.. Enumerable.Range(0, request.ChoiceCount).Select(i => new ChoiceState(i))];
            _envelope = new ResponseEnvelope("cmpl-", model.Name);
        }

        private int PromptOf(int choice) => choice / _request.Sampling.N;

        public void Add(TokenEvent token) => _choices[token.Choice].Add(token);

        public void Whole(Utf8JsonWriter json)
        {
            _envelope.Open(json, Type);
            json.WriteStartArray("choices");
            foreach (var choice in _choices)
            {
                var prompt = _request.Prompts[PromptOf(choice.Index)];
                json.WriteStartObject();
                json.WriteNumber("index", choice.Index);
                json.WriteString("text", (_request.Echo ? prompt.Text : "") + choice.Text);
                if (_request.Logprobs is int top)
                {
                    LogprobsJson.Completion(json, _model, Echo(choice.Index), choice.Tokens, top, _request.Sampling.TokensAsIds, 0);
                }
                else
                {
                    json.WriteNull("logprobs");
                }
                json.WriteString("finish_reason", choice.FinishReason);
                JsonOutput.WriteStopReason(json, choice.StopReason(_model, _request.Sampling.Stop, _request.Sampling.SkipSpecialTokens));
                if (_request.PromptLogprobs is int promptTop)
                {
                    LogprobsJson.PromptLogprobs(json, "prompt_logprobs", _model, _scores[PromptOf(choice.Index)]!, prompt.Ids, promptTop);
                }
                else
                {
                    json.WriteNull("prompt_logprobs");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            Usage(json);
            json.WriteEndObject();
        }

        /// <summary>A stream's first chunk of a choice with echo: the prompt's text (and its logprobs).</summary>
        public void EchoChunk(Utf8JsonWriter json, int choice)
        {
            var state = _choices[choice];
            var echo = Echo(choice);
            ChunkStart(json, choice, _request.Prompts[PromptOf(choice)].Text);
            if (_request.Logprobs is int top && echo is not null)
            {
                LogprobsJson.Completion(json, _model, echo, [], top, _request.Sampling.TokensAsIds, state.TextOffset);
                state.TextOffset += echo.Ids.Sum(id => _model.TokenText(id).Length);
            }
            else
            {
                json.WriteNull("logprobs");
            }
            ResponseEnvelope.CloseChoiceChunk(json, null, null);
        }

        public void TokenChunk(Utf8JsonWriter json, TokenEvent token)
        {
            var state = _choices[token.Choice];
            state.Add(token);
            ChunkStart(json, token.Choice, token.Text);
            if (_request.Logprobs is int top)
            {
                LogprobsJson.Completion(json, _model, null, [token], top, _request.Sampling.TokensAsIds, state.TextOffset);
                state.TextOffset += _model.TokenText(token.Id).Length;
            }
            else
            {
                json.WriteNull("logprobs");
            }
            ResponseEnvelope.CloseChoiceChunk(json, token.IsLast ? state.FinishReason : null, token.IsLast ? state.StopReason(_model, _request.Sampling.Stop, _request.Sampling.SkipSpecialTokens) : null);
        }

        /// <summary>The last chunk of a choice that generated nothing (max_tokens 0 with echo).</summary>
        public void EndChunk(Utf8JsonWriter json, int choice)
        {
            ChunkStart(json, choice, "");
            json.WriteNull("logprobs");
            ResponseEnvelope.CloseChoiceChunk(json, _choices[choice].FinishReason, null);
        }

        public void UsageChunk(Utf8JsonWriter json) => _envelope.UsageChunk(json, Type, PromptTokens, CompletionTokens);

        private EchoedPrompt? Echo(int choice)
        {
            var prompt = PromptOf(choice);
            return _request.Echo && _scores[prompt] is { } scores ? new EchoedPrompt(_request.Prompts[prompt].Ids, scores) : null;
        }

        private void ChunkStart(Utf8JsonWriter json, int choice, string text)
        {
            _envelope.OpenChoiceChunk(json, Type, choice);
            json.WriteString("text", text);
        }

        private int PromptTokens => _request.Prompts.Sum(p => p.Ids.Length);

        private int CompletionTokens => _choices.Sum(c => c.Tokens.Count);

        private void Usage(Utf8JsonWriter json) => JsonOutput.Usage(json, PromptTokens, CompletionTokens);
    }
}
