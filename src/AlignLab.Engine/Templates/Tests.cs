namespace AlignLab.Engine.Templates;

internal delegate bool TestFunction(Evaluator evaluator, object? value, CallArguments arguments);

/// <summary>The <c>is</c> tests, with Jinja2 3.1's semantics (e.g. Undefined is iterable, bool is a number).</summary>
internal static class Tests
{
    private static readonly Dictionary<string, TestFunction> Registry = new(StringComparer.Ordinal)
    {
        ["boolean"] = Unary("boolean", v => v is bool),
        ["callable"] = Unary("callable", v => v is ITemplateCallable or Undefined or LoopContext),
        ["defined"] = Unary("defined", v => v is not Undefined),
        ["divisibleby"] = DivisibleBy,
        ["even"] = Unary("even", v => Operations.Equal(Operations.Modulo(v, 2L), 0L)),
        ["false"] = Unary("false", v => v is false),
        ["float"] = Unary("float", v => v is double),
        ["in"] = (e, v, a) => e.Contains(Other("in", a), v),
        ["integer"] = Unary("integer", v => v is long),
        ["iterable"] = Unary("iterable", v => v is string or SafeString or List<object?> or PyTuple or PyDict or PyIterator or Undefined or LoopContext),
        ["mapping"] = Unary("mapping", v => v is PyDict),
        ["none"] = Unary("none", v => v is null),
        ["number"] = Unary("number", Operations.IsNumber),
        ["odd"] = Unary("odd", v => Operations.Equal(Operations.Modulo(v, 2L), 1L)),
        ["sameas"] = (_, v, a) => SameAs(v, Other("sameas", a)),
        ["sequence"] = Unary("sequence", v => v is string or SafeString or List<object?> or PyTuple or PyDict or Undefined),
        ["string"] = Unary("string", Operations.IsString),
        ["true"] = Unary("true", v => v is true),
        ["undefined"] = Unary("undefined", v => v is Undefined),
        ["eq"] = Equal,
        ["equalto"] = Equal,
        ["=="] = Equal,
        ["ne"] = NotEqual,
        ["!="] = NotEqual,
        ["lt"] = Ordered("<", c => c < 0),
        ["<"] = Ordered("<", c => c < 0),
        ["lessthan"] = Ordered("<", c => c < 0),
        ["le"] = Ordered("<=", c => c <= 0),
        ["<="] = Ordered("<=", c => c <= 0),
        ["gt"] = Ordered(">", c => c > 0),
        [">"] = Ordered(">", c => c > 0),
        ["greaterthan"] = Ordered(">", c => c > 0),
        ["ge"] = Ordered(">=", c => c >= 0),
        [">="] = Ordered(">=", c => c >= 0),
    };

    public static TestFunction? Find(string name) => Registry.GetValueOrDefault(name);

    private static TestFunction Unary(string name, Func<object?, bool> test) => (_, value, arguments) =>
    {
        arguments.Bind(name);
        return test(value);
    };

    private static object? Other(string name, CallArguments arguments)
    {
        var bound = arguments.Bind(name, "other");
        Arg.Require(name, "other", bound[0]);
        return bound[0];
    }

    private static bool Equal(Evaluator evaluator, object? value, CallArguments arguments) => Operations.Equal(value, Other("eq", arguments));

    private static bool NotEqual(Evaluator evaluator, object? value, CallArguments arguments) => !Operations.Equal(value, Other("ne", arguments));

    private static TestFunction Ordered(string op, Func<int, bool> holds)
        => (_, value, arguments) => holds(Operations.Compare(value, Other(op, arguments), op));

    private static bool DivisibleBy(Evaluator evaluator, object? value, CallArguments arguments)
    {
        var bound = arguments.Bind("divisibleby", "num");
        Arg.Require("divisibleby", "num", bound[0]);
        return Operations.Equal(Operations.Modulo(value, bound[0]), 0L);
    }

    /// <summary>Python's <c>is</c>: None and the booleans are singletons; other values only match themselves.</summary>
    private static bool SameAs(object? value, object? other) => (value, other) switch
    {
        (null, null) => true,
        (bool a, bool b) => a == b,
        _ => ReferenceEquals(value, other),
    };
}
