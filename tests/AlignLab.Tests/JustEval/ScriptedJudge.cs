using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Server.Tests.Support;

namespace AlignLab.Tests.JustEval;

/// <summary>
/// A scripted OpenAI-compatible judge (GET /v1/models, POST /v1/chat/completions) on <see cref="RecordedServer"/>:
/// the test decides each reply from the request. Helpers read the request's messages and build replies.
/// </summary>
internal static class ScriptedJudge
{
    public const string Model = "judge-1";
    public const string Reference = "https://judge.example/v1#" + Model;
    public const int PromptTokens = 120;
    public const int CompletionTokens = 30;

    public static RecordedServer Server(Func<JsonElement, Reply> chat) => new RecordedServer()
        .On("GET", "/v1/models", Reply.Json(200, $$"""{"object": "list", "data": [{"id": "{{Model}}", "object": "model"}]}"""))
        .On("POST", "/v1/chat/completions", body => chat(body!.Value));

    /// <summary>A chat.completion whose message is <paramref name="content"/>, with the fixed usage counts.</summary>
    public static Reply Chat(string content) => Reply.Json(200, new JsonObject
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["model"] = Model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = PromptTokens, ["completion_tokens"] = CompletionTokens, ["total_tokens"] = PromptTokens + CompletionTokens },
    }.ToJsonString());

    /// <summary>A judge's JSON with the given score (a JSON value's text) for each aspect, and a reason naming it.</summary>
    public static string Scores(params (string Aspect, string Score)[] scores)
        => "{" + string.Join(", ", scores.Select(s => $"\"{s.Aspect}\": {{\"reason\": \"{s.Aspect} reason\", \"score\": {s.Score}}}")) + "}";

    public static IReadOnlyList<(string Role, string Content)> Messages(JsonElement body)
        => [.. body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];

    /// <summary>The first user message: the one that shows the answer.</summary>
    public static string Prompt(JsonElement body) => Messages(body).First(m => m.Role == "user").Content;

    /// <summary>The answer's number in test answers written "Answer number N.".</summary>
    public static int AnswerNumber(JsonElement body)
    {
        var prompt = Prompt(body);
        var at = prompt.IndexOf("Answer number ", StringComparison.Ordinal) + "Answer number ".Length;
        return int.Parse(prompt[at..prompt.IndexOf('.', at)], CultureInfo.InvariantCulture);
    }

    public static bool IsRetry(JsonElement body) => Messages(body).Any(m => m.Role == "assistant");
}
