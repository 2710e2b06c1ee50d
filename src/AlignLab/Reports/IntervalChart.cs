using System.Globalization;
using System.Text;
using AlignLab.JustEval;

namespace AlignLab.Reports;

/// <summary>One bar of an <see cref="IntervalChart"/>: a mean and, when known, its interval.</summary>
public readonly record struct IntervalBar(double Mean, double? Low = null, double? High = null);

/// <summary>A row of an <see cref="IntervalChart"/>: a label, one bar per series, and an optional ceiling line across the row.</summary>
public sealed record IntervalRow(string Label, IReadOnlyList<IntervalBar?> Bars, double? Ceiling = null);

/// <summary>
/// A horizontal bar chart as inline SVG, on a fixed scale (0–1 for rates and similarities, 1–5 for judge scores): one
/// row per measure, one bar per series (sample set) coloured by its class, each with its mean shown, a whisker from
/// its interval's low to high end when it has one, and a tooltip; a row's ceiling (the reference against itself) is a
/// dashed line across it. Values outside the scale are clamped to it. Every text is HTML-escaped.
/// </summary>
internal static class IntervalChart
{
    private const int Width = 760;
    private const int LabelWidth = 190;
    private const int BarsWidth = 480;
    private const int BarHeight = 12;
    private const int BarGap = 3;
    private const int RowGap = 12;
    private const int Top = 8;
    private const int AxisHeight = 22;
    private const int Ticks = 5;

    /// <param name="format">How means and interval ends are written ("F3": three decimals).</param>
    public static string Svg(IReadOnlyList<IntervalRow> rows, IReadOnlyList<string> series, string title, double min = 0, double max = 1, string format = "F3")
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(series);
        var rowHeight = (series.Count * (BarHeight + BarGap)) + RowGap;
        var axisY = Top + (rows.Count * rowHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {axisY + AxisHeight}\" role=\"img\" aria-label=\"{StaticPage.Html(title)}\">");
        for (var tick = 0; tick <= Ticks; tick++)
        {
            var value = min + ((max - min) * tick / Ticks);
            var x = X(value, min, max);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"gridline\" x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{axisY}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{axisY + 15}\" text-anchor=\"middle\">{value:0.##}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{LabelWidth}\" y1=\"{axisY}\" x2=\"{LabelWidth + BarsWidth}\" y2=\"{axisY}\"/>");
        for (var r = 0; r < rows.Count; r++)
        {
            Row(svg, rows[r], series, Top + (r * rowHeight), rowHeight - RowGap, (min, max, format));
        }
        return svg.Append("</svg>").ToString();
    }

    private static void Row(StringBuilder svg, IntervalRow row, IReadOnlyList<string> series, int top, int height, (double Min, double Max, string Format) scale)
    {
        var (min, max, format) = scale;
        string Number(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{top + (height / 2) + 4}\" text-anchor=\"end\">{StaticPage.Html(row.Label)}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            if (row.Bars[s] is not { } bar)
            {
                continue;
            }
            var y = top + (s * (BarHeight + BarGap));
            var end = X(bar.Mean, min, max);
            var shown = bar is { Low: { } l, High: { } h } ? $"{Number(bar.Mean)} [{Number(l)}, {Number(h)}]" : Number(bar.Mean);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"s{s % JudgeReportStyle.SeriesColors.Length}\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{end - LabelWidth:F1}\" height=\"{BarHeight}\"><title>{StaticPage.Html(series[s])}: {shown}</title></rect>");
            var right = end;
            if (bar is { Low: { } lowValue, High: { } highValue })
            {
                var middle = y + (BarHeight / 2.0);
                double low = X(lowValue, min, max), high = X(highValue, min, max);
                svg.Append(CultureInfo.InvariantCulture, $"<path class=\"whisker\" d=\"M{low:F1} {middle - 4:F1}v8M{low:F1} {middle:F1}H{high:F1}M{high:F1} {middle - 4:F1}v8\"/>");
                right = Math.Max(end, high);
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{right + 4:F1}\" y=\"{y + BarHeight - 2}\">{Number(bar.Mean)}</text>");
        }
        if (row.Ceiling is { } ceiling)
        {
            var x = X(ceiling, min, max);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"ceiling\" x1=\"{x:F1}\" y1=\"{top - 3}\" x2=\"{x:F1}\" y2=\"{top + height + 3}\"><title>ceiling (reference vs its other samples): {ceiling:F3}</title></line>");
        }
    }

    private static double X(double value, double min, double max) => LabelWidth + (Math.Clamp((value - min) / (max - min), 0, 1) * BarsWidth);
}
