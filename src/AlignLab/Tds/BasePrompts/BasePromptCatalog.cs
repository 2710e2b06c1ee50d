namespace AlignLab.Tds.BasePrompts;

/// <summary>The base prompts <c>--base-prompt</c> accepts by name.</summary>
public static class BasePromptCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["plain", "zero", "chat"];

    /// <summary>
    /// <c>zero</c>: URIAL's query/answer frame with no preamble and no examples, the answer fence opened:
    /// <c># Query:\n```\n{instruction}\n```\n\n# Answer:\n```\n</c> (the layout of URIAL's inst_1k_v4 prompts).
    /// </summary>
    public static string ZeroShotFrame(string instruction) => "# Query:\n```\n" + instruction + "\n```\n\n# Answer:\n```\n";

    /// <summary>The prompt named <paramref name="name"/>; an <see cref="ArgumentException"/> lists the names otherwise.</summary>
    public static IBasePrompt Resolve(string name) => name switch
    {
        "plain" => new PlainBasePrompt(),
        "chat" => new ChatBasePrompt(),
        "zero" => new TextBasePrompt("zero", ZeroShotFrame),
        _ => throw new ArgumentException($"unknown base prompt \"{name}\" (expected one of: {string.Join(", ", Names)})", nameof(name)),
    };
}
