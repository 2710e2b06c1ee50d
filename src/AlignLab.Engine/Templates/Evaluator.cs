using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace AlignLab.Engine.Templates;

/// <summary>
/// Walks the syntax tree for one render. It owns the sandbox counters (loop iterations, macro
/// depth, characters written), so one instance serves exactly one render.
/// </summary>
internal sealed class Evaluator(TemplateOptions options)
{
    private readonly long _deadline = options.Timeout is { } timeout
        ? Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency)
        : long.MaxValue;

    private long _iterations;
    private long _written;
    private int _depth;

    /// <summary>What a statement tells the enclosing loop.</summary>
    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public DateTimeOffset Now { get; } = options.Now ?? DateTimeOffset.Now;

    /// <summary>The longest string or list an expression may build.</summary>
    public long MaxLength => options.MaxOutputLength;

    public string Render(IReadOnlyList<Node> body, Scope scope)
    {
        var output = new StringBuilder();
        Execute(body, scope, output);
        return output.ToString();
    }

    // ---- statements ----

    private Flow Execute(IReadOnlyList<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            var flow = Execute(node, scope, output);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }
        return Flow.Normal;
    }

    private Flow Execute(Node node, Scope scope, StringBuilder output)
    {
        switch (node)
        {
            case TextNode text:
                Write(output, text.Text);
                return Flow.Normal;
            case OutputNode print:
                Write(output, Formatting.Str(Eval(print.Value, scope), MaxLength));
                return Flow.Normal;
            case IfNode branches:
                return ExecuteIf(branches, scope, output);
            case ForNode loop:
                return ExecuteFor(loop, scope, output);
            case SetNode set:
                Assign(set.Target, Eval(set.Value, scope), scope);
                return Flow.Normal;
            case SetBlockNode block:
                Assign(block.Target, ApplyFilters(block.Filters, RenderInChildScope(block.Body, scope), scope), scope);
                return Flow.Normal;
            case MacroNode macro:
                scope.Set(macro.Name, new Macro(macro, scope));
                return Flow.Normal;
            case CallBlockNode call:
                Write(output, Formatting.Str(CallWithCaller(call, scope), MaxLength));
                return Flow.Normal;
            case FilterBlockNode filter:
                Write(output, Formatting.Str(ApplyFilters(filter.Filters, RenderInChildScope(filter.Body, scope), scope), MaxLength));
                return Flow.Normal;
            case ScopeNode inner:
                return Execute(inner.Body, new Scope(scope), output);
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw new InvalidOperationException($"unknown node {node.GetType().Name}");
        }
    }

    private Flow ExecuteIf(IfNode node, Scope scope, StringBuilder output)
    {
        foreach (var branch in node.Branches)
        {
            if (Operations.Truthy(Eval(branch.Test, scope)))
            {
                return Execute(branch.Body, scope, output);
            }
        }
        return node.Else is null ? Flow.Normal : Execute(node.Else, scope, output);
    }

    /// <summary>Each iteration runs in a fresh child scope, so assignments in the body never outlive it.</summary>
    private Flow ExecuteFor(ForNode node, Scope scope, StringBuilder output)
    {
        var items = new List<object?>();
        foreach (var item in Iterate(Eval(node.Iterable, scope)))
        {
            if (node.Filter is null || Operations.Truthy(Eval(node.Filter, BindLoopTarget(node.Target, item, scope))))
            {
                items.Add(item);
            }
        }
        if (items.Count == 0)
        {
            return node.Else is null ? Flow.Normal : Execute(node.Else, new Scope(scope), output);
        }
        var loop = new LoopContext(items);
        for (var i = 0; i < items.Count; i++)
        {
            CountIteration();
            loop.Index0 = i;
            var iteration = BindLoopTarget(node.Target, items[i], scope);
            iteration.Set("loop", loop);
            if (Execute(node.Body, iteration, output) == Flow.Break)
            {
                break;
            }
        }
        return Flow.Normal;
    }

    private Scope BindLoopTarget(Target target, object? item, Scope scope)
    {
        var iteration = new Scope(scope);
        Assign(target, item, iteration);
        return iteration;
    }

    private void Assign(Target target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameTarget name:
                scope.Set(name.Name, value);
                break;
            case NamespaceTarget attribute:
                if (Lookup(attribute.Namespace, scope) is not Namespace ns)
                {
                    throw new TemplateException("cannot assign attribute on non-namespace object");
                }
                ns.Attributes[attribute.Attribute] = value;
                break;
            case TupleTarget tuple:
                var values = Operations.Iterate(value, "cannot unpack non-iterable {0} object").ToList();
                if (values.Count != tuple.Items.Count)
                {
                    throw new TemplateException(values.Count < tuple.Items.Count
                        ? $"not enough values to unpack (expected {tuple.Items.Count}, got {values.Count})"
                        : $"too many values to unpack (expected {tuple.Items.Count})");
                }
                for (var i = 0; i < values.Count; i++)
                {
                    Assign(tuple.Items[i], values[i], scope);
                }
                break;
        }
    }

    private string RenderInChildScope(IReadOnlyList<Node> body, Scope scope)
    {
        var output = new StringBuilder();
        Execute(body, new Scope(scope), output);
        return output.ToString();
    }

    private object? ApplyFilters(IReadOnlyList<FilterExpr> filters, object? value, Scope scope)
    {
        foreach (var filter in filters)
        {
            value = ApplyFilter(filter, value, scope);
        }
        return value;
    }

    private object? CallWithCaller(CallBlockNode node, Scope scope)
    {
        var arguments = EvalArguments(node.Call.Arguments, scope);
        arguments.Keywords.Add(new("caller", new Macro(node.Caller, scope)));
        return Call(Eval(node.Call.Callee, scope), arguments);
    }

    /// <summary>Runs a macro body in its bound scope and returns what it wrote.</summary>
    public string CallMacro(MacroNode node, Scope scope)
    {
        if (_depth >= options.MaxRecursionDepth)
        {
            throw new TemplateLimitException($"macro calls nested more than {options.MaxRecursionDepth} deep");
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new TemplateLimitException("macro calls nested too deeply for the stack");
        }
        CheckDeadline();
        _depth++;
        try
        {
            var output = new StringBuilder();
            Execute(node.Body, scope, output);
            return output.ToString();
        }
        finally
        {
            _depth--;
        }
    }

    private void Write(StringBuilder output, string text)
    {
        _written += text.Length;
        if (_written > options.MaxOutputLength)
        {
            throw new TemplateLimitException($"template output exceeds the limit of {options.MaxOutputLength} characters");
        }
        output.Append(text);
    }

    private void CountIteration() => CountIterations(1);

    /// <summary>Counts loop iterations and items that filters and 'in' go through, under one budget; also watches the clock.</summary>
    public void CountIterations(long count)
    {
        var before = _iterations;
        _iterations += count;
        if (_iterations > options.MaxLoopIterations)
        {
            throw new TemplateLimitException($"template loops ran more than {options.MaxLoopIterations} iterations");
        }
        // Reading the clock every 64 items keeps the check cheap.
        if ((before >> 6) != (_iterations >> 6))
        {
            CheckDeadline();
        }
    }

    private void CheckDeadline()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new TemplateLimitException($"template rendering took longer than {options.Timeout}");
        }
    }

    /// <summary>Python iteration (see <see cref="Operations.Iterate"/>), each item counted against the loop budget.</summary>
    public IEnumerable<object?> Iterate(object? value)
    {
        foreach (var item in Operations.Iterate(value))
        {
            CountIteration();
            yield return item;
        }
    }

    // ---- expressions ----

    public object? Eval(Expr expr, Scope scope) => expr switch
    {
        ConstExpr c => c.Value,
        NameExpr name => Lookup(name.Name, scope),
        GetAttrExpr get => Access.GetAttribute(Eval(get.Target, scope), get.Name),
        GetItemExpr { Key: SliceExpr slice } get => Access.Slice(Eval(get.Target, scope),
            EvalOptional(slice.Start, scope), EvalOptional(slice.Stop, scope), EvalOptional(slice.Step, scope)),
        GetItemExpr get => Access.GetItem(Eval(get.Target, scope), Eval(get.Key, scope)),
        CallExpr call => CheckSize(Call(Eval(call.Callee, scope), EvalArguments(call.Arguments, scope))),
        FilterExpr filter => CheckSize(ApplyFilter(filter, Eval(filter.Value!, scope), scope)),
        TestExpr test => RunTest(test, scope),
        UnaryExpr unary => EvalUnary(unary, scope),
        BinaryExpr binary => EvalBinary(binary, scope),
        CompareExpr compare => EvalCompare(compare, scope),
        CondExpr cond => Operations.Truthy(Eval(cond.Test, scope))
            ? Eval(cond.Then, scope)
            : cond.Else is null
                ? new Undefined($"the inline if-expression on line {cond.Line} evaluated to false and no else section was defined.")
                : Eval(cond.Else, scope),
        ConcatExpr concat => EvalConcat(concat, scope),
        ListExpr list => list.Items.Select(item => Eval(item, scope)).ToList(),
        TupleExpr tuple => new PyTuple([.. tuple.Items.Select(item => Eval(item, scope))]),
        DictExpr dict => EvalDict(dict, scope),
        _ => throw new InvalidOperationException($"unknown expression {expr.GetType().Name}"),
    };

    private object? EvalOptional(Expr? expr, Scope scope) => expr is null ? null : Eval(expr, scope);

    private static object? Lookup(string name, Scope scope)
    {
        if (scope.TryGet(name, out var value) || Globals.TryGet(name, out value))
        {
            return value;
        }
        return Undefined.Name(name);
    }

    private object? Call(object? callee, CallArguments arguments) => callee switch
    {
        ITemplateCallable callable => callable.Call(this, arguments),
        Undefined undefined => throw undefined.Fail(),
        _ => throw new TemplateException($"'{Operations.TypeName(callee)}' object is not callable"),
    };

    private CallArguments EvalArguments(Arguments arguments, Scope scope) => new(
        [.. arguments.Positional.Select(a => Eval(a, scope))],
        [.. arguments.Keywords.Select(k => new KeyValuePair<string, object?>(k.Key, Eval(k.Value, scope)))]);

    private object? ApplyFilter(FilterExpr filter, object? value, Scope scope)
    {
        var function = filter.Function ?? throw new TemplateException($"No filter named '{filter.Name}' found.");
        return function(this, value, EvalArguments(filter.Arguments, scope));
    }

    private bool RunTest(TestExpr test, Scope scope)
    {
        var value = Eval(test.Value, scope);
        var function = test.Function ?? throw new TemplateException($"No test named '{test.Name}' found.");
        return function(this, value, EvalArguments(test.Arguments, scope));
    }

    private object? EvalUnary(UnaryExpr unary, Scope scope)
    {
        var operand = Eval(unary.Operand, scope);
        return unary.Op switch
        {
            UnaryOp.Not => !Operations.Truthy(operand),
            UnaryOp.Negate => Operations.Negate(operand),
            _ => Operations.Plus(operand),
        };
    }

    /// <summary>and/or short-circuit and return an operand, as in Python.</summary>
    private object? EvalBinary(BinaryExpr binary, Scope scope)
    {
        var left = Eval(binary.Left, scope);
        switch (binary.Op)
        {
            case BinaryOp.And:
                return Operations.Truthy(left) ? Eval(binary.Right, scope) : left;
            case BinaryOp.Or:
                return Operations.Truthy(left) ? left : Eval(binary.Right, scope);
        }
        var right = Eval(binary.Right, scope);
        return binary.Op switch
        {
            BinaryOp.Add => Operations.Add(left, right, MaxLength),
            BinaryOp.Subtract => Operations.Subtract(left, right),
            BinaryOp.Multiply => Operations.Multiply(left, right, MaxLength),
            BinaryOp.Divide => Operations.Divide(left, right),
            BinaryOp.FloorDivide => Operations.FloorDivide(left, right),
            BinaryOp.Modulo => Operations.Modulo(left, right),
            _ => Operations.Power(left, right),
        };
    }

    private bool EvalCompare(CompareExpr compare, Scope scope)
    {
        var left = Eval(compare.First, scope);
        foreach (var (op, operand) in compare.Rest)
        {
            var right = Eval(operand, scope);
            var holds = op switch
            {
                CompareOp.Equal => Operations.Equal(left, right),
                CompareOp.NotEqual => !Operations.Equal(left, right),
                CompareOp.Less => Operations.Compare(left, right, "<") < 0,
                CompareOp.LessEqual => Operations.Compare(left, right, "<=") <= 0,
                CompareOp.Greater => Operations.Compare(left, right, ">") > 0,
                CompareOp.GreaterEqual => Operations.Compare(left, right, ">=") >= 0,
                CompareOp.In => Contains(right, left),
                _ => !Contains(right, left),
            };
            if (!holds)
            {
                return false;
            }
            left = right;
        }
        return true;
    }

    /// <summary>'in' scans sequences, so their length counts against the loop budget.</summary>
    public bool Contains(object? container, object? item)
    {
        CountIterations(container is List<object?> or PyTuple ? Operations.Length(container) : 1);
        return Operations.Contains(container, item);
    }

    private string EvalConcat(ConcatExpr concat, Scope scope)
    {
        var sb = new StringBuilder();
        foreach (var part in concat.Parts)
        {
            sb.Append(Formatting.Str(Eval(part, scope), MaxLength));
            Operations.CheckLength(sb.Length, MaxLength);
        }
        return sb.ToString();
    }

    private PyDict EvalDict(DictExpr dict, Scope scope)
    {
        var result = new PyDict();
        foreach (var (key, value) in dict.Pairs)
        {
            result[Eval(key, scope)] = Eval(value, scope);
        }
        return result;
    }

    /// <summary>Strings built by filters and calls (join, format, replace) are held to the same bound as the output.</summary>
    private object? CheckSize(object? value)
    {
        if (value is string s)
        {
            Operations.CheckLength(s.Length, MaxLength);
        }
        return value;
    }
}
