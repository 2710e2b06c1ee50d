namespace AlignLab.Urial;

/// <summary>The lines of a text: where each starts, its length without the line break, and the line of an offset.</summary>
internal sealed class LineIndex
{
    private readonly string _text;
    private readonly List<int> _starts = [0];

    public LineIndex(string text)
    {
        _text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && i + 1 < text.Length)
            {
                _starts.Add(i + 1);
            }
        }
    }

    public int Count => _starts.Count;

    /// <summary>Line <paramref name="line"/> (0-based): its start and its length including the line break.</summary>
    public (int Start, int Length) Span(int line)
    {
        var start = _starts[line];
        var end = line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;
        return (start, end - start);
    }

    /// <summary>The 1-based line that holds <paramref name="offset"/>.</summary>
    public int LineOf(int offset)
    {
        var at = _starts.BinarySearch(offset);
        return (at >= 0 ? at : ~at - 1) + 1;
    }
}
