namespace AlignLab.Reports;

/// <summary>
/// A run directory cannot be turned into a report: a file is missing, malformed or beyond the report's
/// limits. The message is one line naming the file (and line, for JSON lines) and the field.
/// </summary>
public sealed class ReportInputException : Exception
{
    public ReportInputException(string message) : base(message) { }

    public ReportInputException(string message, Exception inner) : base(message, inner) { }

    public ReportInputException() : base("malformed TDS run directory") { }
}
