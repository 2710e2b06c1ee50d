using AlignLab.Urial;

namespace AlignLab.Tds.BasePrompts;

/// <summary>
/// The base prompts <c>--base-prompt</c> accepts: <c>plain</c>, <c>chat</c>, and every URIAL prompt — a
/// built-in name (<c>zero</c> is the frame alone, the published "i2b with template" setting) or a prompt file.
/// </summary>
public static class BasePromptCatalog
{
    /// <summary>The names accepted besides URIAL prompt files.</summary>
    public static IReadOnlyList<string> Names { get; } = ["plain", "chat", .. UrialPrompts.BuiltInNames];

    /// <summary>
    /// The prompt <paramref name="value"/> names; an <see cref="ArgumentException"/> lists the names otherwise,
    /// and a malformed URIAL file is a <see cref="UrialPromptException"/> naming file and line.
    /// </summary>
    public static IBasePrompt Resolve(string value) => value switch
    {
        "plain" => new PlainBasePrompt(),
        "chat" => new ChatBasePrompt(),
        _ => UrialBasePrompt(value),
    };

    private static TextBasePrompt UrialBasePrompt(string value)
    {
        try
        {
            var prompt = UrialPrompts.Resolve(value);
            return new TextBasePrompt(prompt.Name, prompt.RenderQuery, prompt.Sha256);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(
                $"unknown base prompt \"{value}\": not an existing URIAL prompt file, nor one of {string.Join(", ", Names)}", nameof(value));
        }
    }
}
