using System.CommandLine;

namespace AlignLab.Cli;

/// <summary>What every command shares: where results and logs go, and whether to be verbose.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Print stack traces and extra diagnostics on stderr.",
        Recursive = true,
    };

    /// <summary>Results only; one JSON line last when --json is given.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Logs, progress and errors.</summary>
    public TextWriter Err { get; } = stderr;

    public bool Verbose { get; set; }
}
