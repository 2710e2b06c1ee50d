namespace AlignLab.JustEval;

/// <summary>Requests sent to a judge and the tokens they used, as the judge counted them.</summary>
public readonly record struct TokenUsage(int Requests, long PromptTokens, long CompletionTokens)
{
    public static TokenUsage operator +(TokenUsage a, TokenUsage b)
        => new(a.Requests + b.Requests, a.PromptTokens + b.PromptTokens, a.CompletionTokens + b.CompletionTokens);
}
