using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace AlignLab.JustEval;

/// <summary>
/// A horizontal bar chart on the 0–5 score scale as inline SVG: one row per label, one bar per series (answer set)
/// coloured by its class, each with its value and a tooltip. Every text is HTML-escaped.
/// </summary>
internal static class BarChart
{
    private const int Width = 720;
    private const int LabelWidth = 170;
    private const int BarsWidth = 480;
    private const int BarHeight = 12;
    private const int BarGap = 2;
    private const int RowGap = 10;
    private const int Top = 8;
    private const int AxisHeight = 22;

    public static string Svg(IReadOnlyList<(string Label, IReadOnlyList<double?> Values)> rows, IReadOnlyList<string> series, string title)
    {
        var rowHeight = (series.Count * (BarHeight + BarGap)) + RowGap;
        var height = Top + (rows.Count * rowHeight) + AxisHeight;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Html(title)}\">");
        var axisY = Top + (rows.Count * rowHeight);
        for (var tick = 0; tick <= 5; tick++)
        {
            var x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"gridline\" x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{axisY}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{axisY + 15}\" text-anchor=\"middle\">{tick}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{LabelWidth}\" y1=\"{axisY}\" x2=\"{LabelWidth + BarsWidth}\" y2=\"{axisY}\"/>");
        for (var r = 0; r < rows.Count; r++)
        {
            var (label, values) = rows[r];
            var rowTop = Top + (r * rowHeight);
            var middle = rowTop + ((series.Count * (BarHeight + BarGap)) / 2) + 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{middle}\" text-anchor=\"end\">{Html(label)}</text>");
            for (var s = 0; s < series.Count; s++)
            {
                if (values[s] is not double value)
                {
                    continue;
                }
                var y = rowTop + (s * (BarHeight + BarGap));
                var width = X(value) - LabelWidth;
                var shown = value.ToString("F2", CultureInfo.InvariantCulture);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"s{s % JudgeReportStyle.SeriesColors.Length}\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{width:F1}\" height=\"{BarHeight}\"><title>{Html(series[s])}: {shown}</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + width + 4:F1}\" y=\"{y + BarHeight - 2}\">{shown}</text>");
            }
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The x of a score, clamped to the scale.</summary>
    private static double X(double score) => LabelWidth + (Math.Clamp(score, 0, 5) / 5 * BarsWidth);

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
