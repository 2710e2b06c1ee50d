namespace AlignLab.Cli;

/// <summary>The command line itself is wrong (bad combination of options, missing file argument).</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }

    public UsageException() : base("invalid usage") { }

    public UsageException(string message, Exception inner) : base(message, inner) { }
}
