using System.Globalization;

namespace AlignLab.Urial;

/// <summary>A URIAL prompt file that cannot be read; the message is one line: <c>SOURCE:LINE: what is wrong</c>.</summary>
public sealed class UrialPromptException : FormatException
{
    public UrialPromptException(string message) : base(message) { }

    public UrialPromptException() : base("invalid URIAL prompt") { }

    public UrialPromptException(string message, Exception inner) : base(message, inner) { }

    internal static UrialPromptException At(string source, int line, string what)
        => new(string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: {what}"));
}
