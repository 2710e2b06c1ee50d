using System.Text;

namespace AlignLab.Backends.Remote;

/// <summary>
/// A streamed completion of one choice — text_completion chunks ("text", "logprobs.tokens") or
/// chat.completion.chunk ones ("delta.content", "logprobs.content[].token") — read into its generated ids, text
/// and end. The ids come from the "token_id:N" labels (vLLM's return_tokens_as_token_ids); a server that labels
/// tokens by text only gets its text re-tokenized (which may differ from what it generated). A "stop" that no
/// stop string caused means the model chose a stop token, which vLLM and alignlab serve list last: it is not
/// part of the answer.
/// </summary>
internal static class GenerationReader
{
    /// <param name="chunks">The stream's events.</param>
    /// <param name="reference">The model, for messages.</param>
    /// <param name="tokenizer">Re-tokenizes the text when the server gives no ids.</param>
    /// <param name="stopAfter">Sees each chunk's text; true ends the answer there (the stream is closed, which stops the server's generation).</param>
    public static async Task<(GeneratedAnswer Answer, int? StopToken)> ReadAsync(IAsyncEnumerable<ResponseJson> chunks, string reference, IModelTokenizer tokenizer, Func<string, bool>? stopAfter)
    {
        var ids = new List<int>();
        var text = new StringBuilder();
        var labelledById = true;
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            var choices = chunk["choices"];
            if (choices.Length == 0)
            {
                continue; // the usage chunk
            }
            var choice = choices[0];
            var chat = !choice["delta"].IsNull;
            var piece = (chat ? choice["delta"]["content"] : choice["text"]).StringOrNull() ?? "";
            text.Append(piece);
            var logprobs = choice["logprobs"];
            if (!logprobs.IsNull)
            {
                var labels = chat ? logprobs["content"].Items().Select(entry => entry["token"]) : logprobs["tokens"].Items();
                foreach (var label in labels)
                {
                    if (ScoreReader.TokenIdLabel(label.String()) is int id)
                    {
                        ids.Add(id);
                    }
                    else
                    {
                        labelledById = false;
                    }
                }
            }
            else if (piece.Length > 0)
            {
                labelledById = false;
            }
            var finish = choice["finish_reason"].StringOrNull();
            var stopped = stopAfter?.Invoke(piece) == true;
            if (finish is null && !stopped)
            {
                continue;
            }
            if (!labelledById)
            {
                ids = [.. tokenizer.Encode(text.ToString(), parseSpecial: false)];
            }
            // A "stop" no stop string caused: the model chose a stop token, listed last; it is not part of the answer.
            var byStopToken = finish == "stop" && choice["stop_reason"].Value.ValueKind != System.Text.Json.JsonValueKind.String;
            int? stopToken = null;
            if (byStopToken && labelledById && ids.Count > 0)
            {
                stopToken = ids[^1];
                ids.RemoveAt(ids.Count - 1);
            }
            var end = stopped ? AnswerEnd.Stopped : finish switch
            {
                "stop" => AnswerEnd.EndOfTurn,
                "length" => AnswerEnd.MaxTokens,
                _ => throw choice["finish_reason"].Invalid("\"stop\" or \"length\""),
            };
            return (new GeneratedAnswer(ids, text.ToString(), end), stopToken);
        }
        throw new RemoteModelException($"{reference}: the completion stream ended without a finish_reason");
    }
}
