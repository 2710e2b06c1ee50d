namespace AlignLab.Engine.Templates;

// The syntax tree the parser builds and the evaluator walks. Nodes are immutable, so one parsed
// template can be rendered many times, concurrently.

internal abstract record Node;

internal sealed record TextNode(string Text) : Node;

internal sealed record OutputNode(Expr Value) : Node;

internal sealed record IfNode(IReadOnlyList<IfBranch> Branches, IReadOnlyList<Node>? Else) : Node;

internal sealed record IfBranch(Expr Test, IReadOnlyList<Node> Body);

internal sealed record ForNode(Target Target, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node>? Else) : Node;

internal sealed record SetNode(Target Target, Expr Value) : Node;

/// <summary><c>{% set x | filters %}body{% endset %}</c>: the rendered body, filtered, is assigned.</summary>
internal sealed record SetBlockNode(Target Target, IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Node> Body) : Node;

internal sealed record MacroNode(string Name, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Node> Body, MacroUses Uses) : Node;

internal sealed record Parameter(string Name, Expr? Default);

/// <summary>Which special names a macro body reads: they decide whether extra arguments are accepted.</summary>
[Flags]
internal enum MacroUses
{
    None = 0,
    Caller = 1,
    Varargs = 2,
    Kwargs = 4,
}

/// <summary><c>{% call(params) macro(args) %}body{% endcall %}</c>: body becomes the <c>caller</c> macro.</summary>
internal sealed record CallBlockNode(CallExpr Call, MacroNode Caller) : Node;

internal sealed record FilterBlockNode(IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Node> Body) : Node;

/// <summary>A body rendered in its own scope, as Hugging Face's <c>{% generation %}</c> tag does.</summary>
internal sealed record ScopeNode(IReadOnlyList<Node> Body) : Node;

internal sealed record BreakNode : Node;

internal sealed record ContinueNode : Node;

// Assignment targets.

internal abstract record Target;

internal sealed record NameTarget(string Name) : Target;

internal sealed record TupleTarget(IReadOnlyList<Target> Items) : Target;

/// <summary><c>{% set ns.attr = ... %}</c>.</summary>
internal sealed record NamespaceTarget(string Namespace, string Attribute) : Target;

// Expressions.

internal abstract record Expr;

internal sealed record ConstExpr(object? Value) : Expr;

internal sealed record NameExpr(string Name) : Expr;

internal sealed record ListExpr(IReadOnlyList<Expr> Items) : Expr;

internal sealed record TupleExpr(IReadOnlyList<Expr> Items) : Expr;

internal sealed record DictExpr(IReadOnlyList<KeyValuePair<Expr, Expr>> Pairs) : Expr;

internal sealed record GetAttrExpr(Expr Target, string Name) : Expr;

internal sealed record GetItemExpr(Expr Target, Expr Key) : Expr;

/// <summary>Only appears as the key of a <see cref="GetItemExpr"/>.</summary>
internal sealed record SliceExpr(Expr? Start, Expr? Stop, Expr? Step) : Expr;

internal sealed record Arguments(IReadOnlyList<Expr> Positional, IReadOnlyList<KeyValuePair<string, Expr>> Keywords)
{
    public static readonly Arguments Empty = new([], []);
}

internal sealed record CallExpr(Expr Callee, Arguments Arguments) : Expr;

/// <summary>
/// <c>value | name(args)</c>. <see cref="Function"/> is resolved while parsing; it is null only for an
/// unknown filter inside an if, which Jinja2 reports when (and only if) it runs.
/// </summary>
internal sealed record FilterExpr(Expr? Value, string Name, Arguments Arguments, FilterFunction? Function) : Expr;

internal sealed record TestExpr(Expr Value, string Name, Arguments Arguments, TestFunction? Function) : Expr;

internal enum UnaryOp
{
    Not,
    Negate,
    Plus,
}

internal sealed record UnaryExpr(UnaryOp Op, Expr Operand) : Expr;

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Modulo,
    Power,
    And,
    Or,
}

internal sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right) : Expr;

internal enum CompareOp
{
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    In,
    NotIn,
}

/// <summary>Python's chained comparison: <c>a &lt; b &lt; c</c>.</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<KeyValuePair<CompareOp, Expr>> Rest) : Expr;

/// <summary><c>then if test else otherwise</c>; without else, a false test gives Undefined.</summary>
internal sealed record CondExpr(Expr Test, Expr Then, Expr? Else, int Line) : Expr;

/// <summary><c>a ~ b ~ c</c>: the str() of each operand joined.</summary>
internal sealed record ConcatExpr(IReadOnlyList<Expr> Parts) : Expr;
