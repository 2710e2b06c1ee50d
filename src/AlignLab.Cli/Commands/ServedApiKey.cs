namespace AlignLab.Cli.Commands;

/// <summary>The API key a command sends to a served model: the value of an environment variable, when it is set.</summary>
internal static class ServedApiKey
{
    /// <summary>
    /// The value of <paramref name="variable"/> for a served <paramref name="reference"/> (null when unset or the model
    /// is local), with a warning on stderr when it would cross the network unencrypted (http to a host not on loopback).
    /// </summary>
    public static string? Read(CliContext context, string reference, string variable)
    {
        var key = Environment.GetEnvironmentVariable(variable);
        if (!Backends.LanguageModels.IsRemote(reference) || string.IsNullOrEmpty(key))
        {
            return null;
        }
        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri is { Scheme: "http", IsLoopback: false })
        {
            context.Err.WriteLine($"warning: ${variable} goes unencrypted to {uri.Host} (http, not https)");
        }
        return key;
    }
}
