using AlignLab.Urial;

namespace AlignLab.Cli.Commands;

/// <summary>A <c>NAME|PATH</c> prompt value from the command line; an unknown name is a usage error.</summary>
internal static class UrialPromptArgument
{
    public static UrialPrompt Resolve(string value, string command)
    {
        try
        {
            return UrialPrompts.Resolve(value);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{command}: {ErrorLine.MessageOf(e)}", e);
        }
    }
}
