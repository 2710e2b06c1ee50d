using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Templates;

internal enum TokenKind
{
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Text, object? Value, int Line, int Column)
{
    /// <summary>How Jinja2 names a token in "unexpected ..." messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.End => "end of template",
        _ => Text,
    };

    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;
}

/// <summary>
/// Splits a template into tokens the way Jinja2's lexer does with <c>trim_blocks</c> and
/// <c>lstrip_blocks</c> on: newlines normalized to \n, one trailing newline dropped, '-' and '+'
/// whitespace control on tags, comments removed, and delimiters inside brackets read as operators.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"];

    private readonly string _name;
    private readonly string _source;
    private readonly List<Token> _tokens = [];
    private readonly Stack<char> _brackets = new();
    private int _pos;
    private int _countedTo;
    private int _line = 1;
    private int _lineStart;

    // Jinja2's "line_starting": the previous match ended a line, so a tag at the very start of the
    // following text is also at the start of a line for lstrip_blocks.
    private bool _lineStarting = true;

    private Lexer(string name, string source)
    {
        _name = name;
        _source = Normalize(source);
    }

    public static List<Token> Tokenize(string name, string source)
    {
        var lexer = new Lexer(name, source);
        lexer.Run();
        return lexer._tokens;
    }

    /// <summary>\r\n and \r become \n, and a single trailing newline is dropped (keep_trailing_newline=False).</summary>
    private static string Normalize(string source)
    {
        var text = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private void Run()
    {
        while (_pos < _source.Length)
        {
            var tag = FindTagStart(_pos);
            if (tag < 0)
            {
                Emit(TokenKind.Data, _source[_pos..], _pos);
                break;
            }
            var kind = _source[tag + 1];
            var sign = tag + 2 < _source.Length && _source[tag + 2] is '-' or '+' ? _source[tag + 2] : '\0';
            var text = ControlLeadingWhitespace(_source[_pos..tag], kind, sign);
            if (text.Length > 0)
            {
                Emit(TokenKind.Data, text, _pos);
            }
            _pos = tag + 2 + (sign == '\0' ? 0 : 1);
            if (kind == '#')
            {
                SkipComment(tag);
            }
            else
            {
                LexTag(kind == '{' ? TokenKind.VariableBegin : TokenKind.BlockBegin, tag);
            }
        }
        Emit(TokenKind.End, "", _source.Length);
    }

    private int FindTagStart(int from)
    {
        for (var i = _source.IndexOf('{', from); i >= 0 && i + 1 < _source.Length; i = _source.IndexOf('{', i + 1))
        {
            if (_source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>'-' strips all whitespace before the tag; otherwise lstrip_blocks strips spaces and tabs back to the line start for block and comment tags.</summary>
    private string ControlLeadingWhitespace(string text, char kind, char sign)
    {
        if (sign == '-')
        {
            return Strings.Strip(text, null, left: false);
        }
        if (sign == '+' || kind == '{')
        {
            return text;
        }
        var lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || _lineStarting) && text.AsSpan(lineStart).IndexOfAnyExcept(' ', '\t') < 0)
        {
            return text[..lineStart];
        }
        return text;
    }

    private void SkipComment(int tag)
    {
        for (var i = _pos; i + 1 < _source.Length; i++)
        {
            if (_source[i] is '-' or '+' && i + 2 < _source.Length && _source[i + 1] == '#' && _source[i + 2] == '}')
            {
                _pos = i + 3;
                FinishTagEnd(_source[i]);
                return;
            }
            if (_source[i] == '#' && _source[i + 1] == '}')
            {
                _pos = i + 2;
                FinishTagEnd('\0');
                return;
            }
        }
        throw Error(tag, "Missing end of comment tag");
    }

    /// <summary>After a block or comment end: '-' eats all following whitespace, '+' nothing, plain ends drop one newline (trim_blocks).</summary>
    private void FinishTagEnd(char sign, bool trimNewline = true)
    {
        var start = _pos;
        if (sign == '-')
        {
            while (_pos < _source.Length && Strings.IsSpace(_source[_pos]))
            {
                _pos++;
            }
        }
        else if (sign == '\0' && trimNewline && _pos < _source.Length && _source[_pos] == '\n')
        {
            _pos++;
        }
        _lineStarting = _pos > start ? _source[_pos - 1] == '\n' : false;
    }

    private void LexTag(TokenKind begin, int tag)
    {
        Emit(begin, begin == TokenKind.VariableBegin ? "{{" : "{%", tag);
        var isBlock = begin == TokenKind.BlockBegin;
        while (true)
        {
            if (_pos >= _source.Length)
            {
                throw Error(tag, $"unexpected end of template, expected '{(isBlock ? "%}" : "}}")}'");
            }
            if (_brackets.Count == 0 && TryTagEnd(isBlock))
            {
                return;
            }
            var c = _source[_pos];
            if (Strings.IsSpace(c))
            {
                _pos++;
            }
            else if (char.IsAsciiDigit(c))
            {
                LexNumber();
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _source.Length && (char.IsLetterOrDigit(_source[_pos]) || _source[_pos] == '_'))
                {
                    _pos++;
                }
                Emit(TokenKind.Name, _source[start.._pos], start);
            }
            else if (c is '\'' or '"')
            {
                LexString(c);
            }
            else
            {
                LexOperator();
            }
        }
    }

    private bool TryTagEnd(bool isBlock)
    {
        var close = isBlock ? "%}" : "}}";
        var sign = _source[_pos] is '-' || (isBlock && _source[_pos] == '+') ? _source[_pos] : '\0';
        var at = _pos + (sign == '\0' ? 0 : 1);
        if (string.CompareOrdinal(_source, at, close, 0, 2) != 0)
        {
            return false;
        }
        Emit(isBlock ? TokenKind.BlockEnd : TokenKind.VariableEnd, close, _pos);
        _pos = at + 2;
        FinishTagEnd(sign, trimNewline: isBlock);
        return true;
    }

    private void LexNumber()
    {
        var start = _pos;
        SkipDigits();
        var isFloat = false;
        // Jinja2's float_re: a fraction, an exponent, or both; "1." alone is an integer then a dot.
        if (_pos + 1 < _source.Length && _source[_pos] == '.' && char.IsAsciiDigit(_source[_pos + 1])
            && (start == 0 || _source[start - 1] != '.'))
        {
            _pos++;
            SkipDigits();
            isFloat = true;
        }
        if (_pos < _source.Length && _source[_pos] is 'e' or 'E')
        {
            var e = _pos + 1;
            if (e < _source.Length && _source[e] is '+' or '-')
            {
                e++;
            }
            if (e < _source.Length && char.IsAsciiDigit(_source[e]))
            {
                _pos = e;
                SkipDigits();
                isFloat = true;
            }
        }
        var text = _source[start.._pos].Replace("_", "", StringComparison.Ordinal);
        if (isFloat)
        {
            Emit(TokenKind.Float, text, start, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        else if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Emit(TokenKind.Integer, text, start, value);
        }
        else
        {
            throw Error(start, $"integer literal {text} does not fit in 64 bits");
        }
    }

    private void SkipDigits()
    {
        while (_pos < _source.Length && (char.IsAsciiDigit(_source[_pos])
            || (_source[_pos] == '_' && _pos + 1 < _source.Length && char.IsAsciiDigit(_source[_pos + 1]))))
        {
            _pos++;
        }
    }

    private void LexString(char quote)
    {
        var start = _pos;
        var sb = new StringBuilder();
        for (_pos++; _pos < _source.Length && _source[_pos] != quote; _pos++)
        {
            if (_source[_pos] == '\\' && _pos + 1 < _source.Length)
            {
                _pos++;
                AppendEscape(sb);
            }
            else
            {
                sb.Append(_source[_pos]);
            }
        }
        if (_pos >= _source.Length)
        {
            throw Error(start, "unexpected end of string");
        }
        _pos++;
        Emit(TokenKind.String, _source[start.._pos], start, sb.ToString());
    }

    /// <summary>Python's unicode-escape decoding, which Jinja2 applies to string literals; unknown escapes keep their backslash.</summary>
    private void AppendEscape(StringBuilder sb)
    {
        var c = _source[_pos];
        switch (c)
        {
            case '\n':
                return;
            case 'n' or 't' or 'r' or 'a' or 'b' or 'f' or 'v' or '\\' or '\'' or '"':
                sb.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'a' => '\a', 'b' => '\b', 'f' => '\f', 'v' => '\v', _ => c });
                return;
            case 'x' or 'u' or 'U':
                var width = c switch { 'x' => 2, 'u' => 4, _ => 8 };
                if (_pos + width < _source.Length
                    && int.TryParse(_source.AsSpan(_pos + 1, width), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                    && Rune.IsValid(code))
                {
                    sb.Append(new Rune(code).ToString());
                    _pos += width;
                    return;
                }
                throw Error(_pos - 1, $"truncated \\{c} escape in string literal");
            case >= '0' and <= '7':
                var digits = 1;
                while (digits < 3 && _pos + digits < _source.Length && _source[_pos + digits] is >= '0' and <= '7')
                {
                    digits++;
                }
                sb.Append((char)Convert.ToInt32(_source.Substring(_pos, digits), 8));
                _pos += digits - 1;
                return;
            default:
                sb.Append('\\').Append(c);
                return;
        }
    }

    private void LexOperator()
    {
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_source, _pos, op, 0, op.Length) != 0)
            {
                continue;
            }
            TrackBracket(op[0]);
            Emit(TokenKind.Operator, op, _pos);
            _pos += op.Length;
            return;
        }
        throw Error(_pos, $"unexpected char '{_source[_pos]}'");
    }

    private void TrackBracket(char c)
    {
        switch (c)
        {
            case '(' or '[' or '{':
                _brackets.Push(c switch { '(' => ')', '[' => ']', _ => '}' });
                break;
            case ')' or ']' or '}':
                if (_brackets.Count == 0)
                {
                    throw Error(_pos, $"unexpected '{c}'");
                }
                var expected = _brackets.Pop();
                if (expected != c)
                {
                    throw Error(_pos, $"unexpected '{c}', expected '{expected}'");
                }
                break;
        }
    }

    private void Emit(TokenKind kind, string text, int at, object? value = null)
    {
        var (line, column) = Position(at);
        _tokens.Add(new Token(kind, text, value, line, column));
    }

    /// <summary>Line and column (1-based) of a source offset; tokens arrive in order, so counting is incremental.</summary>
    private (int Line, int Column) Position(int at)
    {
        if (at < _countedTo)
        {
            (_countedTo, _line, _lineStart) = (0, 1, 0);
        }
        for (; _countedTo < at && _countedTo < _source.Length; _countedTo++)
        {
            if (_source[_countedTo] == '\n')
            {
                _line++;
                _lineStart = _countedTo + 1;
            }
        }
        return (_line, at - _lineStart + 1);
    }

    private TemplateSyntaxException Error(int at, string problem)
    {
        var (line, column) = Position(at);
        return new TemplateSyntaxException(_name, line, column, problem);
    }
}
