using System.Text.Json.Nodes;

namespace AlignLab.Tds;

/// <summary>
/// Shift classes per span label, for data whose outputs are labelled (the model organism's "style" and
/// "knowledge" spans, <see cref="Data.AnswerSpans"/>). With both organism labels present it also judges
/// "shifted" as a detector of style tokens: precision = shifted style / shifted labelled positions,
/// recall = shifted style / style positions, beside the style share of labelled positions (a detector's
/// chance precision).
/// </summary>
public sealed class SpanLabelStats
{
    public const string Style = "style";
    public const string Knowledge = "knowledge";

    private readonly SortedDictionary<string, ClassCounts> _byLabel = new(StringComparer.Ordinal);
    private long _unlabelled;

    public bool Any => _byLabel.Count > 0;

    public void Add(TokenLine token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Label is null)
        {
            _unlabelled++;
            return;
        }
        if (!_byLabel.TryGetValue(token.Label, out var counts))
        {
            counts = new ClassCounts();
            _byLabel[token.Label] = counts;
        }
        counts.Add(token.Class);
    }

    /// <summary><c>{"LABEL": {"positions", "counts", "ratios"}, ...}</c>.</summary>
    public JsonObject ByLabelJson()
    {
        var json = new JsonObject();
        foreach (var (label, counts) in _byLabel)
        {
            json[label] = new JsonObject { ["positions"] = counts.Positions, ["counts"] = counts.CountsJson(), ["ratios"] = counts.RatiosJson() };
        }
        return json;
    }

    /// <summary>
    /// <c>{"style": {counts}, "knowledge": {counts}, "precision", "recall", "style_share", "unlabelled"}</c> when the
    /// data has both organism labels, else null. Precision (recall) is null when nothing is shifted (no style position).
    /// </summary>
    public JsonObject? OrganismJson()
    {
        if (!_byLabel.TryGetValue(Style, out var style) || !_byLabel.TryGetValue(Knowledge, out var knowledge))
        {
            return null;
        }
        var shiftedLabelled = _byLabel.Values.Sum(c => c[ShiftClass.Shifted]);
        var labelled = _byLabel.Values.Sum(c => c.Positions);
        var shiftedStyle = style[ShiftClass.Shifted];
        return new JsonObject
        {
            [Style] = style.CountsJson(),
            [Knowledge] = knowledge.CountsJson(),
            ["precision"] = shiftedLabelled == 0 ? null : (double)shiftedStyle / shiftedLabelled,
            ["recall"] = style.Positions == 0 ? null : (double)shiftedStyle / style.Positions,
            ["style_share"] = labelled == 0 ? null : (double)style.Positions / labelled,
            ["unlabelled"] = _unlabelled,
        };
    }
}
