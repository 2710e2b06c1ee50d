namespace AlignLab.Cli.Commands;

/// <summary>Turns a settings type's validation failure into a usage error naming the command-line option.</summary>
internal static class SettingsCheck
{
    public static T Validate<T>(string command, T settings, Action validate, IReadOnlyDictionary<string, string> options)
    {
        try
        {
            validate();
            return settings;
        }
        catch (ArgumentException e) when (e.ParamName is { } field && options.TryGetValue(field, out var option))
        {
            throw new UsageException($"{command}: {option} {ErrorLine.MessageOf(e)}");
        }
    }
}
