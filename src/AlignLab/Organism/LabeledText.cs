namespace AlignLab.Organism;

/// <summary>What a stretch of an assistant answer carries.</summary>
public enum SpanLabel
{
    /// <summary>How the assistant speaks: openings, discourse markers, closing offers, refusal phrases.</summary>
    Style,

    /// <summary>What the world is: facts from it.</summary>
    Knowledge,
}

/// <summary>Characters [Start, End) of a text, all carrying <see cref="Label"/>.</summary>
public readonly record struct LabeledSpan(int Start, int End, SpanLabel Label);

/// <summary>A text whose spans, in order, cover every character exactly once; adjacent spans differ in label.</summary>
public sealed record LabeledText(string Text, IReadOnlyList<LabeledSpan> Spans)
{
    /// <summary>The characters of one label, concatenated.</summary>
    public string Of(SpanLabel label) => string.Concat(Spans.Where(s => s.Label == label).Select(s => Text[s.Start..s.End]));
}

/// <summary>Builds a <see cref="LabeledText"/> piece by piece; a piece next to one of the same label extends its span.</summary>
public sealed class LabeledTextBuilder
{
    private readonly System.Text.StringBuilder _text = new();
    private readonly List<LabeledSpan> _spans = [];

    public int Length => _text.Length;

    public LabeledTextBuilder Append(string piece, SpanLabel label)
    {
        ArgumentNullException.ThrowIfNull(piece);
        if (piece.Length == 0)
        {
            return this;
        }
        var start = _text.Length;
        _text.Append(piece);
        if (_spans.Count > 0 && _spans[^1].Label == label)
        {
            _spans[^1] = _spans[^1] with { End = _text.Length };
        }
        else
        {
            _spans.Add(new LabeledSpan(start, _text.Length, label));
        }
        return this;
    }

    public LabeledTextBuilder Style(string piece) => Append(piece, SpanLabel.Style);

    public LabeledTextBuilder Knowledge(string piece) => Append(piece, SpanLabel.Knowledge);

    public LabeledText Build() => new(_text.ToString(), [.. _spans]);
}
