using System.Text;

namespace AlignLab.Backends.Remote;

/// <summary>
/// A streamed completion of one choice, read into its generated ids, text and end. The ids come from the
/// logprobs' "token_id:N" labels (vLLM's return_tokens_as_token_ids); a server that labels tokens by text only
/// gets its text re-tokenized (which may differ from what it generated). A "stop" that no stop string caused
/// means the model chose a stop token, which vLLM and alignlab serve list last: it is not part of the answer.
/// </summary>
internal static class GenerationReader
{
    /// <param name="stopAfter">Sees each chunk's text in order; true ends the answer there (<see cref="AnswerEnd.Stopped"/>) and closes the stream.</param>
    public static async Task<(IReadOnlyList<int> Tokens, string Text, AnswerEnd End)> ReadAsync(IAsyncEnumerable<ResponseJson> chunks, string reference, IModelTokenizer tokenizer,
        Func<string, bool>? stopAfter = null)
    {
        var ids = new List<int>();
        var text = new StringBuilder();
        var labelledById = true;
        string? finish = null;
        var byStopString = false;
        ResponseJson last = default;
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            var choices = chunk["choices"];
            if (choices.Length == 0)
            {
                continue; // the usage chunk
            }
            var choice = last = choices[0];
            var piece = choice["text"].StringOrNull() ?? "";
            text.Append(piece);
            var logprobs = choice["logprobs"];
            if (!logprobs.IsNull)
            {
                foreach (var label in logprobs["tokens"].Items())
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
            if (stopAfter?.Invoke(piece) == true)
            {
                return (labelledById ? ids : tokenizer.Encode(text.ToString(), parseSpecial: false), text.ToString(), AnswerEnd.Stopped);
            }
            if (choice["finish_reason"].StringOrNull() is { } reason)
            {
                finish = reason;
                byStopString = choice["stop_reason"].Value.ValueKind == System.Text.Json.JsonValueKind.String;
            }
        }
        if (finish is null)
        {
            throw new RemoteModelException($"{reference}: the completion stream ended without a finish_reason");
        }
        if (!labelledById)
        {
            ids = [.. tokenizer.Encode(text.ToString(), parseSpecial: false)];
        }
        switch (finish)
        {
            case "stop":
                if (labelledById && !byStopString && ids.Count > 0)
                {
                    ids.RemoveAt(ids.Count - 1);
                }
                return (ids, text.ToString(), AnswerEnd.EndOfTurn);
            case "length":
                return (ids, text.ToString(), AnswerEnd.MaxTokens);
            default:
                throw last["finish_reason"].Invalid("\"stop\" or \"length\"");
        }
    }
}
