using AlignLab.Data;
namespace AlignLab.Reports;

/// <summary>
/// A JSON value does not match the schema. <see cref="Field"/> is its path inside the document
/// ("tokens[3].base_rank"); readers of nested values prefix their part of the path on the way out
/// (<see cref="Within"/>), so paths are only built when something is wrong.
/// </summary>
internal sealed class JsonFieldException : Exception
{
    public JsonFieldException(string field, string problem) : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    public JsonFieldException() : this("(document)", "malformed") { }

    public JsonFieldException(string message, Exception inner) : base(message, inner)
    {
        Field = "(document)";
        Problem = message;
    }

    public string Field { get; }

    public string Problem { get; }

    /// <summary>The same problem one level further out: <paramref name="prefix"/> is "tokens[3]" or "summary".</summary>
    public JsonFieldException Within(string prefix)
        => new(Field.Length == 0 || Field.StartsWith('[') ? prefix + Field : prefix + "." + Field, Problem);

    /// <summary>The one-line error for the file (and line) the document came from: "FILE:LINE: field: problem".</summary>
    public DataFormatException At(string file, long line = 0)
        => new(DataFormatException.Where(file, line) + $": {Field}: {Problem}", this);
}
