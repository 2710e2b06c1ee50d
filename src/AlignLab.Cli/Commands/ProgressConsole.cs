using Spectre.Console;

namespace AlignLab.Cli.Commands;

/// <summary>The rule every progress display follows: Spectre.Console bars on an interactive stderr, plain lines otherwise.</summary>
internal static class ProgressConsole
{
    /// <summary>
    /// The console to draw bars on, or null when <paramref name="stderr"/> is not the process's interactive stderr
    /// (redirected to a file or pipe, or a test's writer): then the display writes plain lines, so logs stay readable.
    /// </summary>
    public static IAnsiConsole? For(TextWriter stderr)
        => !ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected
            ? null
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
}
