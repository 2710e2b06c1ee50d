using System.Globalization;

namespace AlignLab.Backends.Remote;

/// <summary>
/// A served model's tokenizer through the server: POST /tokenize and /detokenize (vLLM's and alignlab serve's),
/// and GET /vocabulary (alignlab serve's) for token strings and the vocabulary size. parse_special: false is
/// honoured by alignlab serve; vLLM parses special-token text regardless (give a local tokenizer for exactness).
/// </summary>
internal sealed class RemoteTokenizer(OpenAiHttp http, string model, string reference) : IModelTokenizer
{
    private readonly Lazy<string?[]> _vocabulary = new(() => LoadVocabulary(http, model, reference));

    public int VocabSize => _vocabulary.Value.Length;

    public IReadOnlyList<int> Encode(string text, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenize(json =>
        {
            json.WriteString("prompt", text);
            json.WriteBoolean("add_special_tokens", false);
            json.WriteBoolean("parse_special", parseSpecial);
        });
    }

    /// <summary>The ids of a one-turn chat as the server's chat template renders it, nothing added.</summary>
    public IReadOnlyList<int> EncodeChat(string user, string? system) => TokenizeChat(user, system).Ids;

    /// <summary>
    /// The text of a one-turn chat as the server's template renders it: the "prompt" alignlab serve returns with
    /// the ids, else the ids decoded (which may differ from the template's text in spacing around special tokens).
    /// </summary>
    public string RenderChat(string user, string? system)
    {
        var (ids, text) = TokenizeChat(user, system);
        return text ?? Decode(ids);
    }

    private (int[] Ids, string? Text) TokenizeChat(string user, string? system) => TokenizeWithText(json =>
    {
        json.WriteStartArray("messages");
        if (system is not null)
        {
            Message(json, "system", system);
        }
        Message(json, "user", user);
        json.WriteEndArray();
        json.WriteBoolean("add_generation_prompt", true);
        json.WriteBoolean("add_special_tokens", false);
    });

    /// <summary>What the server adds to a prompt (its BOS, or nothing): the ids of an empty text with special tokens added.</summary>
    public IReadOnlyList<int> SpecialPrefix() => Tokenize(json =>
    {
        json.WriteString("prompt", "");
        json.WriteBoolean("add_special_tokens", true);
    });

    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var body = JsonBody.Write(json =>
        {
            json.WriteString("model", model);
            JsonBody.Ids(json, "tokens", ids);
        });
        return http.PostAsync(new Uri(http.Root, "detokenize"), body, default).GetAwaiter().GetResult()["prompt"].String();
    }

    public ITokenTextStream CreateTextStream() => new TextStream(this);

    public string? TokenString(int id) => (uint)id < (uint)_vocabulary.Value.Length ? _vocabulary.Value[id] : null;

    private int[] Tokenize(Action<System.Text.Json.Utf8JsonWriter> fields) => TokenizeWithText(fields).Ids;

    private (int[] Ids, string? Text) TokenizeWithText(Action<System.Text.Json.Utf8JsonWriter> fields)
    {
        var body = JsonBody.Write(json =>
        {
            json.WriteString("model", model);
            fields(json);
        });
        var answer = http.PostAsync(new Uri(http.Root, "tokenize"), body, default).GetAwaiter().GetResult();
        int[] ids = [.. answer["tokens"].Items().Select(t => t.Int() is var id and >= 0 ? id : throw t.Invalid("a token id ≥ 0"))];
        return (ids, answer["prompt"].StringOrNull());
    }

    private static void Message(System.Text.Json.Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }

    private static string?[] LoadVocabulary(OpenAiHttp http, string model, string reference)
    {
        ResponseJson answer;
        try
        {
            answer = http.GetAsync(new Uri(http.Root, "vocabulary?model=" + Uri.EscapeDataString(model)), default).GetAwaiter().GetResult();
        }
        catch (RemoteModelException e) when (e.Status == 404)
        {
            throw new RemoteModelException($"{reference}: the server does not list its vocabulary (only alignlab serve does); give the model's tokenizer locally (--tokenizer, --base-tokenizer, --aligned-tokenizer)", e);
        }
        var tokens = answer["tokens"];
        if (tokens.Length == 0)
        {
            throw tokens.Invalid("a non-empty list of token strings");
        }
        return [.. tokens.Items().Select(t => t.StringOrNull())];
    }

    /// <summary>
    /// Streaming decode through the server: the ids so far are decoded whole after each push, and the text
    /// past what was released comes out once it does not end in an incomplete character (U+FFFD).
    /// </summary>
    private sealed class TextStream(RemoteTokenizer tokenizer) : ITokenTextStream
    {
        private readonly List<int> _ids = [];
        private int _released;

        public string Push(int id)
        {
            _ids.Add(id);
            var text = tokenizer.Decode(_ids);
            if (text.EndsWith('\uFFFD') || text.Length < _released)
            {
                return "";
            }
            var piece = text[_released..];
            _released = text.Length;
            return piece;
        }

        public string Flush()
        {
            var text = _ids.Count == 0 ? "" : tokenizer.Decode(_ids);
            var rest = text.Length > _released ? text[_released..] : "";
            _ids.Clear();
            _released = 0;
            return rest;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{reference} (server tokenizer)");
}
