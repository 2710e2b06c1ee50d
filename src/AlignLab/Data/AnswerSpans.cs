using System.Globalization;
using System.Text.Json;

namespace AlignLab.Data;

/// <summary>Characters [Start, End) of a record's <c>output</c> (UTF-16 offsets) carrying <see cref="Label"/>, e.g. "style" or "knowledge".</summary>
public readonly record struct AnswerSpan(int Start, int End, string Label);

/// <summary>
/// Reads a record's optional <c>spans</c>: <c>[{"start", "end", "label"}]</c> over its <c>output</c>, in order and
/// not overlapping (characters outside every span are unlabelled). The organism's data files carry them.
/// </summary>
public static class AnswerSpans
{
    /// <summary>Most spans one record may carry (a bound on hostile files).</summary>
    public const int MaxSpans = 100_000;

    /// <summary>The spans, or null when the record has none; a malformed one is a <see cref="RecordFieldException"/> naming it.</summary>
    public static IReadOnlyList<AnswerSpan>? Read(JsonElement record, string? output)
    {
        if (!record.TryGetProperty("spans", out var spans) || spans.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (spans.ValueKind != JsonValueKind.Array)
        {
            throw new RecordFieldException($"field \"spans\" is {JsonRecordFile.Kind(spans.ValueKind)}, expected an array of {{\"start\", \"end\", \"label\"}}");
        }
        if (output is null)
        {
            throw new RecordFieldException("field \"spans\" is given without an \"output\" to label");
        }
        if (spans.GetArrayLength() > MaxSpans)
        {
            throw new RecordFieldException(string.Create(CultureInfo.InvariantCulture, $"field \"spans\" has more than {MaxSpans} entries"));
        }
        var result = new List<AnswerSpan>(spans.GetArrayLength());
        var end = 0;
        var i = 0;
        foreach (var span in spans.EnumerateArray())
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"spans[{i++}]");
            var item = Span(span, name, output.Length);
            if (item.Start < end)
            {
                throw new RecordFieldException(string.Create(CultureInfo.InvariantCulture, $"field \"{name}\" starts at {item.Start}, before the previous span's end {end}: spans must be in order and not overlap"));
            }
            end = item.End;
            result.Add(item);
        }
        return result;
    }

    private static AnswerSpan Span(JsonElement span, string name, int length)
    {
        if (span.ValueKind != JsonValueKind.Object)
        {
            throw new RecordFieldException($"field \"{name}\" is {JsonRecordFile.Kind(span.ValueKind)}, expected an object {{\"start\", \"end\", \"label\"}}");
        }
        var start = Offset(span, name, "start", length);
        var end = Offset(span, name, "end", length);
        if (end <= start)
        {
            throw new RecordFieldException(string.Create(CultureInfo.InvariantCulture, $"field \"{name}\" ends at {end}, not after its start {start}"));
        }
        var label = span.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        if (string.IsNullOrWhiteSpace(label))
        {
            throw new RecordFieldException($"field \"{name}.label\" is missing or empty, expected a label such as \"style\" or \"knowledge\"");
        }
        return new AnswerSpan(start, end, label);
    }

    private static int Offset(JsonElement span, string name, string field, int length)
    {
        if (!span.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < 0 || n > length)
        {
            throw new RecordFieldException(string.Create(CultureInfo.InvariantCulture, $"field \"{name}.{field}\" is missing or not an offset in 0..{length} (the output's length)"));
        }
        return n;
    }

    /// <summary>
    /// The label of each token of <paramref name="output"/>, whose texts in order make up the output: the label of the
    /// span holding the token's first non-whitespace character (a whitespace-only token: its first character), null
    /// when no span holds it. Null altogether when the token texts do not spell the output (then offsets are unknown).
    /// </summary>
    public static string?[]? LabelTokens(string output, IReadOnlyList<AnswerSpan> spans, IReadOnlyList<string> tokenTexts)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(tokenTexts);
        var labels = new string?[tokenTexts.Count];
        var offset = 0;
        var s = 0;
        for (var t = 0; t < tokenTexts.Count; t++)
        {
            var text = tokenTexts[t];
            if (offset + text.Length > output.Length || string.CompareOrdinal(output, offset, text, 0, text.Length) != 0)
            {
                return null;
            }
            var inside = 0;
            while (inside < text.Length && char.IsWhiteSpace(text[inside]))
            {
                inside++;
            }
            var at = offset + (inside < text.Length ? inside : 0);
            while (s < spans.Count && spans[s].End <= at)
            {
                s++;
            }
            labels[t] = s < spans.Count && spans[s].Start <= at && text.Length > 0 ? spans[s].Label : null;
            offset += text.Length;
        }
        return offset == output.Length ? labels : null;
    }
}
