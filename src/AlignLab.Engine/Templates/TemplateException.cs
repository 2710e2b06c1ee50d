namespace AlignLab.Engine.Templates;

/// <summary>
/// Rendering a chat template failed. The message is exactly what Python Jinja2 would report
/// (for <c>raise_exception(msg)</c> it is <c>msg</c> itself), so callers can show it as is.
/// </summary>
public class TemplateException : Exception
{
    public TemplateException(string message) : base(message) { }

    public TemplateException(string message, Exception inner) : base(message, inner) { }

    public TemplateException() : base("template error") { }

    /// <summary>True when the template itself called <c>raise_exception</c>.</summary>
    public bool RaisedByTemplate { get; init; }
}

/// <summary>The template source does not parse. The message is one line: "NAME:LINE:COLUMN: problem".</summary>
public sealed class TemplateSyntaxException : TemplateException
{
    public TemplateSyntaxException(string templateName, int line, int column, string problem)
        : base($"{templateName}:{line}:{column}: {problem}")
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public TemplateSyntaxException(string message) : base(message) => TemplateName = Problem = "";

    public TemplateSyntaxException(string message, Exception inner) : base(message, inner) => TemplateName = Problem = "";

    public TemplateSyntaxException() : this("template syntax error") { }

    public string TemplateName { get; }

    public int Line { get; }

    public int Column { get; }

    public string Problem { get; }
}

/// <summary>A sandbox limit (loop iterations, recursion depth, output size) was exceeded.</summary>
public sealed class TemplateLimitException : TemplateException
{
    public TemplateLimitException(string message) : base(message) { }

    public TemplateLimitException(string message, Exception inner) : base(message, inner) { }

    public TemplateLimitException() : base("template limit exceeded") { }
}
