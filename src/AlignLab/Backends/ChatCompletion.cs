namespace AlignLab.Backends;

/// <summary>How <see cref="ILanguageModel.CompleteChatAsync"/> answers: greedy decoding up to a token limit, optionally asking for JSON.</summary>
public sealed record ChatCompletionRequest
{
    /// <summary>Most tokens of the answer, an end-of-turn token included. Default 1024.</summary>
    public int MaxNewTokens { get; init; } = 1024;

    /// <summary>
    /// Ask for a JSON object: a served model gets OpenAI's <c>response_format: {"type": "json_object"}</c> (dropped, for
    /// that model, when its server refuses the field); a local model has no constrained decoding, so the prompt must ask.
    /// </summary>
    public bool JsonObject { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> for a token limit below 1.</summary>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxNewTokens);
}

/// <summary>A chat answer: its text, why it ended, and the tokens the request used (as the model or its server counted them).</summary>
public sealed record ChatCompletion(string Text, AnswerEnd End, int PromptTokens, int CompletionTokens);
