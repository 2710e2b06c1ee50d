namespace AlignLab.Urial;

/// <summary>Picks a prompt for <c>--prompt</c> / <c>--base-prompt</c>: a built-in name or a prompt file.</summary>
public static class UrialPrompts
{
    /// <summary>The prompt <c>alignlab urial</c> uses unless told otherwise.</summary>
    public const string DefaultName = BuiltInPrompts.Stylistic;

    /// <summary>The built-in prompts, in the order they are listed.</summary>
    public static IReadOnlyList<string> BuiltInNames => BuiltInPrompts.Names;

    public static UrialPrompt BuiltIn(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return BuiltInNames.Contains(name)
            ? BuiltInPrompts.Get(name)
            : throw new ArgumentException($"unknown prompt '{name}': the built-in prompts are {string.Join(", ", BuiltInNames)}", nameof(name));
    }

    /// <summary>
    /// <paramref name="value"/> names an existing file: that file, parsed. Otherwise a built-in prompt of that
    /// name; anything else is an error that lists the built-in names.
    /// </summary>
    public static UrialPrompt Resolve(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (File.Exists(value))
        {
            return UrialPromptParser.Load(value);
        }
        if (BuiltInNames.Contains(value))
        {
            return BuiltInPrompts.Get(value);
        }
        throw new ArgumentException($"unknown prompt '{value}': not an existing file, nor one of the built-in prompts {string.Join(", ", BuiltInNames)}", nameof(value));
    }
}
