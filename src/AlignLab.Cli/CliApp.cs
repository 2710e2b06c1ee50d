using System.CommandLine;

namespace AlignLab.Cli;

/// <summary>
/// The <c>alignlab</c> command: builds the command tree, runs it, and turns every failure into
/// one line on stderr and a non-zero exit code. Library code throws; only this layer prints.
/// </summary>
public static class CliApp
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("alignlab: measure what alignment tuning does to a language model.");
        root.Options.Add(CliContext.VerboseOption);
        // Without an action of its own, the root reports "Required command was not provided." ahead
        // of the error that matters (an unknown option, say); with one, only real errors remain.
        root.SetAction(NoCommand);
        foreach (var command in CommandCatalog.Build(context))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static int NoCommand(ParseResult parse) => throw new UsageException("no command given (see alignlab --help)");

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        var context = new CliContext(stdout, stderr);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        context.Verbose = parse.GetValue(CliContext.VerboseOption);
        if (parse.Errors.Count > 0)
        {
            // Once subcommands exist, "Required command was not provided" comes first; the error
            // naming an unrecognized token says more.
            var error = parse.Errors.FirstOrDefault(e => parse.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal))) ?? parse.Errors[0];
            ErrorLine.Write(stderr, error.Message);
            return ExitUsage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (ErrorLine.IsReportable(e))
        {
            ErrorLine.Write(stderr, ErrorLine.Describe(e));
            if (context.Verbose)
            {
                stderr.WriteLine(e.ToString());
            }
            return e is UsageException ? ExitUsage : ExitFailure;
        }
    }
}
