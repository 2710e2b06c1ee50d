using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Templates;

/// <summary>
/// Python's <c>json.dumps</c>, which Hugging Face's <c>tojson</c> filter calls (no HTML escaping,
/// unlike Jinja2's own tojson): key order kept unless sorted, ", " and ": " separators (or "," with
/// an indent), floats as Python's repr, and non-ASCII kept unless <c>ensure_ascii</c>.
/// </summary>
internal sealed class PyJson
{
    private readonly bool _ensureAscii;
    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _sortKeys;
    private readonly long _maxLength;
    private readonly StringBuilder _sb = new();

    private PyJson(bool ensureAscii, string? indent, string? itemSeparator, string? keySeparator, bool sortKeys, long maxLength)
    {
        _ensureAscii = ensureAscii;
        _indent = indent;
        _itemSeparator = itemSeparator ?? (indent is null ? ", " : ",");
        _keySeparator = keySeparator ?? ": ";
        _sortKeys = sortKeys;
        _maxLength = maxLength;
    }

    /// <summary>Serializes <paramref name="value"/>; <paramref name="indent"/> is null for one line, else the text of one level.</summary>
    public static string Dumps(object? value, bool ensureAscii, string? indent, string? itemSeparator, string? keySeparator, bool sortKeys, long maxLength)
    {
        var json = new PyJson(ensureAscii, indent, itemSeparator, keySeparator, sortKeys, maxLength);
        json.Write(value, 0);
        return json._sb.ToString();
    }

    private void Write(object? value, int level)
    {
        if (level > 500)
        {
            throw new TemplateLimitException("value nested too deeply for tojson");
        }
        Operations.CheckLength(_sb.Length, _maxLength);
        switch (value)
        {
            case null:
                _sb.Append("null");
                break;
            case bool b:
                _sb.Append(b ? "true" : "false");
                break;
            case long l:
                _sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                _sb.Append(FloatText(d));
                break;
            case string or SafeString:
                WriteString(Operations.AsString(value)!);
                break;
            case List<object?> or PyTuple:
                WriteArray((IReadOnlyList<object?>)value, level);
                break;
            case PyDict dict:
                WriteObject(dict, level);
                break;
            default:
                throw new TemplateException($"Object of type {Operations.TypeName(value)} is not JSON serializable");
        }
    }

    private static string FloatText(double d) => double.IsNaN(d) ? "NaN"
        : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity")
        : Formatting.FloatRepr(d);

    private void WriteArray(IReadOnlyList<object?> items, int level)
    {
        if (items.Count == 0)
        {
            _sb.Append("[]");
            return;
        }
        _sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            _sb.Append(i == 0 ? "" : _itemSeparator);
            NewLine(level + 1);
            Write(items[i], level + 1);
        }
        NewLine(level);
        _sb.Append(']');
    }

    private void WriteObject(PyDict dict, int level)
    {
        if (dict.Count == 0)
        {
            _sb.Append("{}");
            return;
        }
        var pairs = _sortKeys ? Operations.Sort(dict, kv => kv.Key, reverse: false) : dict.ToList();
        _sb.Append('{');
        var first = true;
        foreach (var (key, item) in pairs)
        {
            _sb.Append(first ? "" : _itemSeparator);
            first = false;
            NewLine(level + 1);
            WriteString(KeyText(key));
            _sb.Append(_keySeparator);
            Write(item, level + 1);
        }
        NewLine(level);
        _sb.Append('}');
    }

    /// <summary>JSON keys are strings; Python converts int, float, bool and None keys and rejects the rest.</summary>
    private static string KeyText(object? key) => key switch
    {
        null => "null",
        string or SafeString => Operations.AsString(key)!,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatText(d),
        _ => throw new TemplateException($"keys must be str, int, float, bool or None, not {Operations.TypeName(key)}"),
    };

    private void NewLine(int level)
    {
        if (_indent is null)
        {
            return;
        }
        _sb.Append('\n');
        for (var i = 0; i < level; i++)
        {
            _sb.Append(_indent);
        }
    }

    private void WriteString(string s)
    {
        _sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    _sb.Append("\\\"");
                    break;
                case '\\':
                    _sb.Append("\\\\");
                    break;
                case '\n':
                    _sb.Append("\\n");
                    break;
                case '\r':
                    _sb.Append("\\r");
                    break;
                case '\t':
                    _sb.Append("\\t");
                    break;
                case '\b':
                    _sb.Append("\\b");
                    break;
                case '\f':
                    _sb.Append("\\f");
                    break;
                case < ' ':
                    AppendUnicodeEscape(c);
                    break;
                case > '~' when _ensureAscii:
                    // UTF-16 units are exactly the surrogate pairs Python writes for astral characters.
                    AppendUnicodeEscape(c);
                    break;
                default:
                    _sb.Append(c);
                    break;
            }
        }
        _sb.Append('"');
    }

    private void AppendUnicodeEscape(char c) => _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
