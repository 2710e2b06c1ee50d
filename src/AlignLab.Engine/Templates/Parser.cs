namespace AlignLab.Engine.Templates;

/// <summary>
/// Recursive-descent parser following Jinja2's grammar and precedence (or &lt; and &lt; not &lt;
/// comparisons &lt; +,- &lt; ~ &lt; *,/,//,% &lt; ** &lt; unary, with filters and tests binding to
/// the unary operand). Errors name the template, line and column.
/// </summary>
internal sealed class Parser
{
    // Deeper nesting than this is no real template; the cap keeps a hostile one from overflowing the stack.
    private const int MaxNesting = 200;

    private readonly string _name;
    private readonly List<Token> _tokens;
    private readonly Stack<string> _openTags = new();
    private readonly Stack<string[]> _endTags = new();

    // Jinja2 reports an unknown filter or test at compile time, except inside an if statement or an
    // inline if, where it fails only when evaluated. Unknowns seen outside such a "soft" place wait
    // here; an enclosing inline if may still forgive them.
    private readonly List<(Token At, string Problem)> _hardUnknowns = [];
    private bool _soft;

    private int _index;
    private int _depth;
    private int _loopDepth;
    private HashSet<string>? _macroNames;

    private Parser(string name, List<Token> tokens)
    {
        _name = name;
        _tokens = tokens;
    }

    public static IReadOnlyList<Node> Parse(string name, string source)
    {
        var parser = new Parser(name, Lexer.Tokenize(name, source));
        var body = parser.Subparse([]);
        if (parser._hardUnknowns.Count > 0)
        {
            var (at, problem) = parser._hardUnknowns[0];
            throw parser.Fail(problem, at);
        }
        return body;
    }

    private Token Current => _tokens[_index];

    private Token Peek => _tokens[Math.Min(_index + 1, _tokens.Count - 1)];

    private Token Next()
    {
        var token = Current;
        if (token.Kind != TokenKind.End)
        {
            _index++;
        }
        return token;
    }

    private bool IsOp(string op) => Current.Is(TokenKind.Operator, op);

    private bool IsName(string name) => Current.Is(TokenKind.Name, name);

    private bool SkipOp(string op)
    {
        if (!IsOp(op))
        {
            return false;
        }
        Next();
        return true;
    }

    private bool SkipName(string name)
    {
        if (!IsName(name))
        {
            return false;
        }
        Next();
        return true;
    }

    private Token Expect(TokenKind kind, string? text = null)
    {
        var token = Current;
        if (token.Kind != kind || (text is not null && token.Text != text))
        {
            var wanted = text ?? kind switch
            {
                TokenKind.BlockEnd => "end of statement block",
                TokenKind.VariableEnd => "end of print statement",
                _ => kind.ToString().ToLowerInvariant(),
            };
            throw Fail($"expected token '{wanted}', got '{token.Describe()}'");
        }
        return Next();
    }

    private TemplateSyntaxException Fail(string problem, Token? at = null)
    {
        var token = at ?? Current;
        return new TemplateSyntaxException(_name, token.Line, token.Column, problem);
    }

    private NestingGuard Nest()
    {
        if (++_depth > MaxNesting)
        {
            throw Fail($"template nested more than {MaxNesting} levels deep");
        }
        return new NestingGuard(this);
    }

    private readonly ref struct NestingGuard(Parser parser)
    {
        public void Dispose() => parser._depth--;
    }

    // ---- statements ----

    /// <summary>Parses nodes until a block tag named in <paramref name="endTags"/>, which is left current.</summary>
    private List<Node> Subparse(string[] endTags)
    {
        using var _ = Nest();
        var body = new List<Node>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Data:
                    Next();
                    body.Add(new TextNode(token.Text));
                    break;
                case TokenKind.VariableBegin:
                    Next();
                    body.Add(new OutputNode(ParseTuple()));
                    Expect(TokenKind.VariableEnd);
                    break;
                case TokenKind.BlockBegin:
                    Next();
                    if (Current.Kind == TokenKind.Name && endTags.Contains(Current.Text))
                    {
                        return body;
                    }
                    body.Add(ParseStatement());
                    break;
                default:
                    if (endTags.Length > 0)
                    {
                        throw UnknownTag(null);
                    }
                    return body;
            }
        }
    }

    /// <summary>Parses a block body up to one of its end tags and consumes that tag's name.</summary>
    private (List<Node> Body, string EndTag) ParseBody(string tag, params string[] endTags)
    {
        _openTags.Push(tag);
        _endTags.Push(endTags);
        var body = Subparse(endTags);
        _endTags.Pop();
        _openTags.Pop();
        return (body, Next().Text);
    }

    private Node ParseStatement()
    {
        var token = Current;
        if (token.Kind != TokenKind.Name)
        {
            throw Fail("tag name expected");
        }
        Node node = token.Text switch
        {
            "if" => ParseIf(),
            "for" => ParseFor(),
            "set" => ParseSet(),
            "macro" => ParseMacro(),
            "call" => ParseCallBlock(),
            "filter" => ParseFilterBlock(),
            "generation" => ParseGeneration(),
            "break" or "continue" => ParseLoopControl(),
            _ => throw UnknownTag(token.Text),
        };
        Expect(TokenKind.BlockEnd);
        return node;
    }

    private TemplateSyntaxException UnknownTag(string? name)
    {
        var message = name is null ? "Unexpected end of template." : $"Encountered unknown tag '{name}'.";
        if (_endTags.Count > 0)
        {
            var looking = string.Join(" or ", _endTags.Peek().Select(t => $"'{t}'"));
            var expected = _endTags.SelectMany(t => t).Contains(name);
            message += expected
                ? $" You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {looking}."
                : $" Jinja was looking for the following tags: {looking}.";
            message += $" The innermost block that needs to be closed is '{_openTags.Peek()}'.";
        }
        return Fail(message);
    }

    private IfNode ParseIf()
    {
        var wasSoft = _soft;
        _soft = true;
        Next();
        var branches = new List<IfBranch>();
        var test = ParseTuple(withCondExpr: false);
        IReadOnlyList<Node>? otherwise = null;
        while (true)
        {
            Expect(TokenKind.BlockEnd);
            var (body, end) = ParseBody("if", "elif", "else", "endif");
            branches.Add(new IfBranch(test, body));
            if (end == "elif")
            {
                test = ParseTuple(withCondExpr: false);
                continue;
            }
            if (end == "else")
            {
                Expect(TokenKind.BlockEnd);
                otherwise = ParseBody("if", "endif").Body;
            }
            break;
        }
        _soft = wasSoft;
        return new IfNode(branches, otherwise);
    }

    private ForNode ParseFor()
    {
        Next();
        var target = ParseAssignTarget(extraEnd: "in");
        Expect(TokenKind.Name, "in");
        var iterable = ParseTuple(withCondExpr: false, extraEnd: "recursive");
        var filter = SkipName("if") ? ParseExpression() : null;
        if (IsName("recursive"))
        {
            throw Fail("recursive loops are not supported");
        }
        Expect(TokenKind.BlockEnd);
        var wasSoft = _soft;
        _soft = false;
        _loopDepth++;
        var (body, end) = ParseBody("for", "endfor", "else");
        _loopDepth--;
        IReadOnlyList<Node>? otherwise = null;
        if (end == "else")
        {
            Expect(TokenKind.BlockEnd);
            otherwise = ParseBody("for", "endfor").Body;
        }
        _soft = wasSoft;
        return new ForNode(target, iterable, filter, body, otherwise);
    }

    private Node ParseSet()
    {
        Next();
        var target = ParseAssignTarget(withNamespace: true);
        if (SkipOp("="))
        {
            return new SetNode(target, ParseTuple());
        }
        var filters = IsOp("|") ? ParseFilters(null) : [];
        Expect(TokenKind.BlockEnd);
        var body = InHardScope(() => ParseBody("set", "endset").Body);
        return new SetBlockNode(target, filters, body);
    }

    private MacroNode ParseMacro()
    {
        Next();
        var name = Expect(TokenKind.Name).Text;
        var parameters = ParseSignature();
        Expect(TokenKind.BlockEnd);
        return ParseMacroBody(name, parameters, "macro", "endmacro");
    }

    private CallBlockNode ParseCallBlock()
    {
        var at = Next();
        var parameters = IsOp("(") ? ParseSignature() : [];
        if (ParseExpression() is not CallExpr call)
        {
            throw Fail("expected call", at);
        }
        Expect(TokenKind.BlockEnd);
        return new CallBlockNode(call, ParseMacroBody("caller", parameters, "call", "endcall"));
    }

    /// <summary>A macro body: its own scope (no enclosing loop), noting which of caller/varargs/kwargs it reads.</summary>
    private MacroNode ParseMacroBody(string name, List<Parameter> parameters, string tag, string endTag)
    {
        var outerNames = _macroNames;
        var outerLoops = _loopDepth;
        _macroNames = [];
        _loopDepth = 0;
        var body = InHardScope(() => ParseBody(tag, endTag).Body);
        var uses = (_macroNames.Contains("caller") ? MacroUses.Caller : MacroUses.None)
            | (_macroNames.Contains("varargs") ? MacroUses.Varargs : MacroUses.None)
            | (_macroNames.Contains("kwargs") ? MacroUses.Kwargs : MacroUses.None);
        outerNames?.UnionWith(_macroNames);
        _macroNames = outerNames;
        _loopDepth = outerLoops;
        return new MacroNode(name, parameters, body, uses);
    }

    private List<Parameter> ParseSignature()
    {
        Expect(TokenKind.Operator, "(");
        var parameters = new List<Parameter>();
        while (!IsOp(")"))
        {
            if (parameters.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }
            var name = Expect(TokenKind.Name).Text;
            var fallback = SkipOp("=") ? ParseExpression() : null;
            parameters.Add(new Parameter(name, fallback));
        }
        Next();
        return parameters;
    }

    private FilterBlockNode ParseFilterBlock()
    {
        Next();
        var filters = ParseFilters(null, startInline: true);
        Expect(TokenKind.BlockEnd);
        return new FilterBlockNode(filters, InHardScope(() => ParseBody("filter", "endfilter").Body));
    }

    private ScopeNode ParseGeneration()
    {
        Next();
        Expect(TokenKind.BlockEnd);
        var outerLoops = _loopDepth;
        _loopDepth = 0;
        var body = InHardScope(() => ParseBody("generation", "endgeneration").Body);
        _loopDepth = outerLoops;
        return new ScopeNode(body);
    }

    private Node ParseLoopControl()
    {
        var token = Next();
        if (_loopDepth == 0)
        {
            throw Fail($"'{token.Text}' outside loop", token);
        }
        return token.Text == "break" ? new BreakNode() : new ContinueNode();
    }

    private T InHardScope<T>(Func<T> parse)
    {
        var wasSoft = _soft;
        _soft = false;
        var result = parse();
        _soft = wasSoft;
        return result;
    }

    private Target ParseAssignTarget(bool withNamespace = false, string? extraEnd = null)
    {
        if (withNamespace && Current.Kind == TokenKind.Name && Peek.Is(TokenKind.Operator, "."))
        {
            var ns = Next().Text;
            Next();
            return new NamespaceTarget(ns, Expect(TokenKind.Name).Text);
        }
        var items = new List<Target>();
        var isTuple = false;
        do
        {
            if (Current.Kind is TokenKind.BlockEnd or TokenKind.VariableEnd || (extraEnd is not null && IsName(extraEnd)))
            {
                break;
            }
            items.Add(ParseTargetAtom());
            isTuple |= IsOp(",");
        }
        while (SkipOp(","));
        return items.Count switch
        {
            0 => throw Fail($"can't assign to '{Current.Describe()}'"),
            1 when !isTuple => items[0],
            _ => new TupleTarget(items),
        };
    }

    private Target ParseTargetAtom()
    {
        if (SkipOp("("))
        {
            var inner = ParseAssignTarget();
            Expect(TokenKind.Operator, ")");
            return inner;
        }
        var token = Current;
        if (token.Kind != TokenKind.Name || token.Text is "true" or "false" or "none" or "True" or "False" or "None")
        {
            throw Fail($"can't assign to '{token.Describe()}'");
        }
        Next();
        return new NameTarget(token.Text);
    }

    // ---- expressions ----

    private Expr ParseTuple(bool withCondExpr = true, string? extraEnd = null, bool explicitParentheses = false)
    {
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }
            if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || IsOp(")") || (extraEnd is not null && IsName(extraEnd)))
            {
                break;
            }
            items.Add(withCondExpr ? ParseExpression() : ParseOr());
            if (!IsOp(","))
            {
                break;
            }
            isTuple = true;
        }
        if (isTuple || (items.Count == 0 && explicitParentheses))
        {
            return new TupleExpr(items);
        }
        return items.Count == 1 ? items[0] : throw Fail($"Expected an expression, got '{Current.Describe()}'");
    }

    private Expr ParseExpression() => ParseCondExpr();

    private Expr ParseCondExpr()
    {
        var line = Current.Line;
        var unknownsBefore = _hardUnknowns.Count;
        var expr = ParseOr();
        while (SkipName("if"))
        {
            // The whole inline if is soft, including the branch parsed before the 'if' was seen.
            _hardUnknowns.RemoveRange(unknownsBefore, _hardUnknowns.Count - unknownsBefore);
            var wasSoft = _soft;
            _soft = true;
            var test = ParseOr();
            var otherwise = SkipName("else") ? ParseCondExpr() : null;
            _soft = wasSoft;
            expr = new CondExpr(test, expr, otherwise, line);
        }
        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (SkipName("or"))
        {
            left = new BinaryExpr(BinaryOp.Or, left, ParseAnd());
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (SkipName("and"))
        {
            left = new BinaryExpr(BinaryOp.And, left, ParseNot());
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (!SkipName("not"))
        {
            return ParseCompare();
        }
        using var _ = Nest();
        return new UnaryExpr(UnaryOp.Not, ParseNot());
    }

    private Expr ParseCompare()
    {
        var first = ParseMath1();
        var rest = new List<KeyValuePair<CompareOp, Expr>>();
        while (true)
        {
            CompareOp op;
            if (Current.Kind == TokenKind.Operator && CompareOperator(Current.Text) is { } symbolic)
            {
                op = symbolic;
                Next();
            }
            else if (SkipName("in"))
            {
                op = CompareOp.In;
            }
            else if (IsName("not") && Peek.Is(TokenKind.Name, "in"))
            {
                Next();
                Next();
                op = CompareOp.NotIn;
            }
            else
            {
                break;
            }
            rest.Add(new(op, ParseMath1()));
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest);
    }

    private static CompareOp? CompareOperator(string text) => text switch
    {
        "==" => CompareOp.Equal,
        "!=" => CompareOp.NotEqual,
        "<" => CompareOp.Less,
        "<=" => CompareOp.LessEqual,
        ">" => CompareOp.Greater,
        ">=" => CompareOp.GreaterEqual,
        _ => null,
    };

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (IsOp("+") || IsOp("-"))
        {
            var op = Next().Text == "+" ? BinaryOp.Add : BinaryOp.Subtract;
            left = new BinaryExpr(op, left, ParseConcat());
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var first = ParseMath2();
        if (!IsOp("~"))
        {
            return first;
        }
        var parts = new List<Expr> { first };
        while (SkipOp("~"))
        {
            parts.Add(ParseMath2());
        }
        return new ConcatExpr(parts);
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
        {
            var op = Next().Text switch
            {
                "*" => BinaryOp.Multiply,
                "/" => BinaryOp.Divide,
                "//" => BinaryOp.FloorDivide,
                _ => BinaryOp.Modulo,
            };
            left = new BinaryExpr(op, left, ParsePow());
        }
        return left;
    }

    /// <summary>Jinja2 parses ** left-associatively: 2 ** 3 ** 2 is 64.</summary>
    private Expr ParsePow()
    {
        var left = ParseUnary();
        while (SkipOp("**"))
        {
            left = new BinaryExpr(BinaryOp.Power, left, ParseUnary());
        }
        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        using var _ = Nest();
        Expr node;
        if (SkipOp("-"))
        {
            node = new UnaryExpr(UnaryOp.Negate, ParseUnary(false));
        }
        else if (SkipOp("+"))
        {
            node = new UnaryExpr(UnaryOp.Plus, ParseUnary(false));
        }
        else
        {
            node = ParsePrimary();
        }
        node = ParsePostfix(node);
        return withFilter ? ParseFilterAndTests(node) : node;
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Next();
                return token.Text switch
                {
                    "true" or "True" => new ConstExpr(true),
                    "false" or "False" => new ConstExpr(false),
                    "none" or "None" => new ConstExpr(null),
                    _ => NameReference(token.Text),
                };
            case TokenKind.String:
                var text = (string)Next().Value!;
                while (Current.Kind == TokenKind.String)
                {
                    text += (string)Next().Value!;
                }
                return new ConstExpr(text);
            case TokenKind.Integer or TokenKind.Float:
                Next();
                return new ConstExpr(token.Value);
            case TokenKind.Operator when token.Text == "(":
                Next();
                var inner = ParseTuple(explicitParentheses: true);
                Expect(TokenKind.Operator, ")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                return new ListExpr(ParseItems("]", ParseExpression));
            case TokenKind.Operator when token.Text == "{":
                return new DictExpr(ParseItems("}", ParsePair));
            default:
                throw Fail($"unexpected '{token.Describe()}'");
        }
    }

    private NameExpr NameReference(string name)
    {
        _macroNames?.Add(name);
        return new NameExpr(name);
    }

    private KeyValuePair<Expr, Expr> ParsePair()
    {
        var key = ParseExpression();
        Expect(TokenKind.Operator, ":");
        return new(key, ParseExpression());
    }

    /// <summary>Comma-separated items after an opening bracket, trailing comma allowed.</summary>
    private List<T> ParseItems<T>(string close, Func<T> parseItem)
    {
        Next();
        var items = new List<T>();
        while (!IsOp(close))
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (IsOp(close))
                {
                    break;
                }
            }
            items.Add(parseItem());
        }
        Next();
        return items;
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (IsOp(".") || IsOp("["))
            {
                node = ParseSubscript(node);
            }
            else if (IsOp("("))
            {
                node = new CallExpr(node, ParseCallArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseFilterAndTests(Expr node)
    {
        while (true)
        {
            if (IsOp("|"))
            {
                node = ParseFilters(node)[^1];
            }
            else if (IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (IsOp("("))
            {
                node = new CallExpr(node, ParseCallArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        if (SkipOp("."))
        {
            var token = Next();
            return token.Kind switch
            {
                TokenKind.Name => new GetAttrExpr(node, token.Text),
                TokenKind.Integer => new GetItemExpr(node, new ConstExpr(token.Value)),
                _ => throw Fail("expected name or number", token),
            };
        }
        var keys = ParseItems("]", ParseSubscribed);
        return keys.Count switch
        {
            0 => throw Fail("expected subscript expression"),
            1 => new GetItemExpr(node, keys[0]),
            _ => new GetItemExpr(node, new TupleExpr(keys)),
        };
    }

    private Expr ParseSubscribed()
    {
        Expr? start = null;
        if (!IsOp(":"))
        {
            start = ParseExpression();
            if (!IsOp(":"))
            {
                return start;
            }
        }
        Next();
        var stop = IsOp("]") || IsOp(",") || IsOp(":") ? null : ParseExpression();
        Expr? step = null;
        if (SkipOp(":"))
        {
            step = IsOp("]") || IsOp(",") ? null : ParseExpression();
        }
        return new SliceExpr(start, stop, step);
    }

    private Arguments ParseCallArguments()
    {
        Expect(TokenKind.Operator, "(");
        var positional = new List<Expr>();
        var keywords = new List<KeyValuePair<string, Expr>>();
        while (!IsOp(")"))
        {
            if (positional.Count + keywords.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (IsOp(")"))
                {
                    break;
                }
            }
            if (Current.Kind == TokenKind.Name && Peek.Is(TokenKind.Operator, "="))
            {
                var name = Next().Text;
                Next();
                keywords.Add(new(name, ParseExpression()));
            }
            else if (keywords.Count > 0)
            {
                throw Fail("invalid syntax for function call expression");
            }
            else
            {
                positional.Add(ParseExpression());
            }
        }
        Next();
        return new Arguments(positional, keywords);
    }

    /// <summary>
    /// A chain of filters applied to <paramref name="value"/>, or with a null value the filters of a
    /// set or filter block; with <paramref name="startInline"/> the first has no leading '|'.
    /// </summary>
    private List<FilterExpr> ParseFilters(Expr? value, bool startInline = false)
    {
        var filters = new List<FilterExpr>();
        while (startInline || SkipOp("|"))
        {
            startInline = false;
            var at = Current;
            var name = ParseDottedName();
            var arguments = IsOp("(") ? ParseCallArguments() : Arguments.Empty;
            var function = Filters.Find(name);
            if (function is null)
            {
                NoteUnknown(at, $"No filter named '{name}'.");
            }
            var filter = new FilterExpr(value, name, arguments, function);
            filters.Add(filter);
            // Inline filters nest (each wraps the previous); a block's filters stay a flat list
            // applied in order to the rendered body.
            value = value is null ? null : filter;
        }
        return filters;
    }

    private Expr ParseTest(Expr node)
    {
        Next();
        var negated = SkipName("not");
        var at = Current;
        var name = ParseDottedName();
        var arguments = Arguments.Empty;
        if (IsOp("("))
        {
            arguments = ParseCallArguments();
        }
        else if (StartsTestArgument())
        {
            if (IsName("is"))
            {
                throw Fail("You cannot chain multiple tests with is");
            }
            arguments = new Arguments([ParsePostfix(ParsePrimary())], []);
        }
        var function = Tests.Find(name);
        if (function is null)
        {
            NoteUnknown(at, $"No test named '{name}'.");
        }
        var test = new TestExpr(node, name, arguments, function);
        return negated ? new UnaryExpr(UnaryOp.Not, test) : test;
    }

    /// <summary>Jinja2 lets a test take one argument without parentheses: <c>x is divisibleby 3</c>.</summary>
    private bool StartsTestArgument()
        => (Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float || IsOp("(") || IsOp("[") || IsOp("{"))
            && !IsName("else") && !IsName("or") && !IsName("and");

    private string ParseDottedName()
    {
        var name = Expect(TokenKind.Name).Text;
        while (SkipOp("."))
        {
            name += "." + Expect(TokenKind.Name).Text;
        }
        return name;
    }

    private void NoteUnknown(Token at, string problem)
    {
        if (!_soft)
        {
            _hardUnknowns.Add((at, problem));
        }
    }
}
