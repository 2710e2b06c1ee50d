using System.Globalization;
using System.Text;
using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Server.Inference;

namespace AlignLab.Server.Api;

/// <summary>The three log-probability shapes: vLLM's prompt_logprobs, the completions API's legacy logprobs, and chat's logprobs.content.</summary>
internal static class LogprobsJson
{
    /// <summary>
    /// vLLM's prompt_logprobs: one entry per prompt token, the first null, entry i a map from token id (as a
    /// string) to {"logprob", "rank", "decoded_token"} for the <paramref name="topK"/> most likely tokens at
    /// position i − 1 and always the actual token i.
    /// </summary>
    public static void PromptLogprobs(Utf8JsonWriter json, string name, ServedModel model, ScoreResult scores, int[] prompt, int topK)
    {
        json.WriteStartArray(name);
        json.WriteNullValue();
        for (var i = 1; i < prompt.Length; i++)
        {
            var position = i - 1;
            json.WriteStartObject();
            var k = Math.Min(topK, scores.TopK);
            var ids = scores.TopIds(position)[..k];
            var logProbs = scores.TopLogProbs(position)[..k];
            for (var j = 0; j < ids.Length; j++)
            {
                Candidate(json, model, ids[j], logProbs[j], RankInTop(logProbs, j));
            }
            if (!ids.Contains(prompt[i]))
            {
                Candidate(json, model, prompt[i], scores.NextLogProb(position), scores.NextRank(position));
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// The completions API's logprobs for the echoed prompt (first entry null) and the generated tokens:
    /// tokens, token_logprobs, top_logprobs (a map from token text to log-probability: the top alternatives
    /// and the token itself) and text_offset.
    /// </summary>
    public static void Completion(Utf8JsonWriter json, ServedModel model, EchoedPrompt? echo, IReadOnlyList<TokenEvent> tokens,
        int topLogprobs, bool asIds, int firstOffset)
    {
        var labels = new List<string>();
        var offsets = new List<int>();
        var offset = firstOffset;
        void Label(int id)
        {
            var label = ChoiceState.TokenLabel(model, id, asIds);
            labels.Add(label);
            offsets.Add(offset);
            offset += model.TokenText(id).Length;
        }
        foreach (var id in echo?.Ids ?? [])
        {
            Label(id);
        }
        foreach (var token in tokens)
        {
            Label(token.Id);
        }
        json.WriteStartObject("logprobs");
        json.WriteStartArray("text_offset");
        offsets.ForEach(json.WriteNumberValue);
        json.WriteEndArray();
        json.WriteStartArray("token_logprobs");
        if (echo is not null)
        {
            for (var i = 0; i < echo.Ids.Length; i++)
            {
                if (i == 0)
                {
                    json.WriteNullValue();
                }
                else
                {
                    JsonOutput.WriteLogProbValue(json, echo.Scores.NextLogProb(i - 1));
                }
            }
        }
        foreach (var token in tokens)
        {
            JsonOutput.WriteLogProbValue(json, token.LogProb);
        }
        json.WriteEndArray();
        json.WriteStartArray("tokens");
        labels.ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteStartArray("top_logprobs");
        if (echo is not null)
        {
            for (var i = 0; i < echo.Ids.Length; i++)
            {
                if (i == 0)
                {
                    json.WriteNullValue();
                    continue;
                }
                var k = Math.Min(topLogprobs, echo.Scores.TopK);
                TopMap(json, model, echo.Scores.TopIds(i - 1)[..k], echo.Scores.TopLogProbs(i - 1)[..k], echo.Ids[i], echo.Scores.NextLogProb(i - 1), asIds);
            }
        }
        foreach (var token in tokens)
        {
            TopMap(json, model, token.TopIds, token.TopLogProbs, token.Id, token.LogProb, asIds);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Chat's logprobs: {"content": [{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob", "bytes"}]}]}.</summary>
    public static void Chat(Utf8JsonWriter json, ServedModel model, IEnumerable<TokenEvent> tokens, bool asIds)
    {
        json.WriteStartObject("logprobs");
        json.WriteStartArray("content");
        foreach (var token in tokens)
        {
            json.WriteStartObject();
            ChatToken(json, model, token.Id, token.LogProb, asIds);
            json.WriteStartArray("top_logprobs");
            for (var j = 0; j < token.TopIds.Length; j++)
            {
                json.WriteStartObject();
                ChatToken(json, model, token.TopIds[j], token.TopLogProbs[j], asIds);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>1 + how many of the (descending) top log-probabilities are strictly higher than entry j: the engine's rank.</summary>
    private static int RankInTop(ReadOnlySpan<float> logProbs, int j)
    {
        var rank = 1;
        while (rank - 1 < j && logProbs[rank - 1] > logProbs[j])
        {
            rank++;
        }
        return rank;
    }

    private static void Candidate(Utf8JsonWriter json, ServedModel model, int id, float logProb, int rank)
    {
        json.WriteStartObject(id.ToString(CultureInfo.InvariantCulture));
        JsonOutput.WriteLogProb(json, "logprob", logProb);
        json.WriteNumber("rank", rank);
        json.WriteString("decoded_token", model.TokenText(id));
        json.WriteEndObject();
    }

    /// <summary>A map from token text to log-probability; a text that two ids share keeps the likelier one (JSON keys are unique).</summary>
    private static void TopMap(Utf8JsonWriter json, ServedModel model, ReadOnlySpan<int> ids, ReadOnlySpan<float> logProbs, int chosen, float chosenLogProb, bool asIds)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        json.WriteStartObject();
        for (var j = 0; j < ids.Length; j++)
        {
            var label = ChoiceState.TokenLabel(model, ids[j], asIds);
            if (written.Add(label))
            {
                JsonOutput.WriteLogProb(json, label, logProbs[j]);
            }
        }
        var chosenLabel = ChoiceState.TokenLabel(model, chosen, asIds);
        if (written.Add(chosenLabel))
        {
            JsonOutput.WriteLogProb(json, chosenLabel, chosenLogProb);
        }
        json.WriteEndObject();
    }

    private static void ChatToken(Utf8JsonWriter json, ServedModel model, int id, float logProb, bool asIds)
    {
        var text = model.TokenText(id);
        json.WriteString("token", asIds ? ChoiceState.TokenLabel(model, id, true) : text);
        JsonOutput.WriteLogProb(json, "logprob", logProb);
        json.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            json.WriteNumberValue(b);
        }
        json.WriteEndArray();
    }
}

/// <summary>An echoed prompt with its teacher-forced scores (for echo + logprobs).</summary>
internal sealed record EchoedPrompt(int[] Ids, ScoreResult Scores);
