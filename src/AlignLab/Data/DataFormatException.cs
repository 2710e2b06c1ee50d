using System.Globalization;

namespace AlignLab.Data;

/// <summary>A data file is malformed: the message names the file, the line (when known) and what was expected.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string message) : base(message) { }

    public DataFormatException() : base("malformed data") { }

    public DataFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>"FILE:LINE: what" (line 1-based; 0 = the whole file).</summary>
    public static DataFormatException At(string file, long line, string what)
        => new(Where(file, line) + ": " + what);

    /// <summary>"FILE:LINE", or just FILE when <paramref name="line"/> is 0.</summary>
    public static string Where(string file, long line)
        => line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line}") : file;
}
