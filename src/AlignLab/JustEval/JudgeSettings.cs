using System.Text.Json.Nodes;

namespace AlignLab.JustEval;

/// <summary>How a judge run judges: which aspects, with which prompts, the reply-token limit, how many requests at once and at most.</summary>
public sealed record JudgeSettings
{
    public AspectChoice AspectChoice { get; init; } = AspectChoice.Auto;

    public JudgePrompts Prompts { get; init; } = JudgePrompts.BuiltIn;

    /// <summary>Most tokens of one reply. Default 1024.</summary>
    public int MaxNewTokens { get; init; } = 1024;

    /// <summary>Requests in flight at once. Default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Most requests this run sends (retries included); null: no cap.</summary>
    public int? MaxRequests { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate() => JudgeLimits.Validate(MaxNewTokens, Concurrency, MaxRequests);

    /// <summary>The settings as run.json lists them, prompt hashes included.</summary>
    public JsonObject Describe() => new()
    {
        ["aspects"] = AspectChoice switch { AspectChoice.Multi => "multi", AspectChoice.Safety => "safety", _ => "auto" },
        ["judge_prompt"] = Prompts.Source,
        ["prompt_sha256"] = new JsonObject
        {
            ["multi"] = Prompts.Hash(JudgeMode.Multi, MaxNewTokens),
            ["safety"] = Prompts.Hash(JudgeMode.Safety, MaxNewTokens),
        },
        ["max_new_tokens"] = MaxNewTokens,
        ["concurrency"] = Concurrency,
        ["max_requests"] = MaxRequests,
    };
}
