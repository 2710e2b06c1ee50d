namespace AlignLab.Engine.Formats;

/// <summary>
/// A model or tokenizer file is malformed. The message is one line naming the file, the field and,
/// where it applies, the byte offset, so a user can find the problem without a stack trace.
/// </summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message) : base(message) { }

    public ModelFormatException(string message, Exception inner) : base(message, inner) { }

    public ModelFormatException() : base("malformed model file") { }

    /// <summary>Builds the standard message: "FILE: FIELD at offset N: PROBLEM".</summary>
    public static ModelFormatException At(string? file, string field, long offset, string problem)
        => new($"{Prefix(file)}{field} at offset {offset}: {problem}");

    /// <summary>Builds a message for a problem that has no byte offset (JSON fields and the like).</summary>
    public static ModelFormatException In(string? file, string field, string problem)
        => new($"{Prefix(file)}{field}: {problem}");

    private static string Prefix(string? file) => string.IsNullOrEmpty(file) ? "" : file + ": ";
}
