using System.Globalization;
using System.Security;
using System.Text;

namespace AlignLab.Training;

/// <summary>
/// Draws a loss curve as a self-contained SVG: the loss of every step (thin) and its exponential moving
/// average (thick) against the step, with labelled axes. Text is XML-escaped, so a run name cannot
/// inject markup.
/// </summary>
public static class LossCurveSvg
{
    private const int Width = 720, Height = 400, Left = 70, Right = 20, Top = 40, Bottom = 50;

    public static string Render(IReadOnlyList<LossPoint> points, string title)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(title);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        var smoothed = Smooth(points);
        var heading = smoothed.Count > 0 ? Invariant($"{title}: loss {smoothed[^1]:0.000} after {points[^1].Step} steps (moving average)") : title + ": no steps yet";
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(heading)}</text>\n"));
        if (points.Count == 0)
        {
            return svg.Append("</svg>\n").ToString();
        }

        var (firstStep, lastStep) = (points[0].Step, Math.Max(points[^1].Step, points[0].Step + 1));
        var finite = points.Select(p => p.Loss).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var top = NiceCeiling(finite.Max());
        double X(double step) => Left + (step - firstStep) / (lastStep - firstStep) * (Width - Left - Right);
        double Y(double loss) => Top + (1 - Math.Clamp(loss / top, 0, 1)) * (Height - Top - Bottom);

        Axes(svg, firstStep, lastStep, top, X, Y);
        svg.Append(Polyline(points.Select(p => (X(p.Step), Y(p.Loss))), "#9ecae1", 1));
        svg.Append(Polyline(points.Select((p, i) => (X(p.Step), Y(smoothed[i]))), "#08519c", 2.5));
        return svg.Append("</svg>\n").ToString();
    }

    private static void Axes(StringBuilder svg, int firstStep, int lastStep, double top, Func<double, double> x, Func<double, double> y)
    {
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        for (var i = 0; i <= 5; i++)
        {
            var loss = top * i / 5;
            svg.Append(Invariant($"<line x1=\"{Left - 4}\" y1=\"{y(loss):0.#}\" x2=\"{Width - Right}\" y2=\"{y(loss):0.#}\" stroke=\"#e5e5e5\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{y(loss) + 4:0.#}\" text-anchor=\"end\">{loss:0.##}</text>\n"));
            var step = firstStep + (lastStep - firstStep) * i / 5;
            svg.Append(Invariant($"<text x=\"{x(step):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{step}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">step</text>\n"));
        svg.Append(Invariant($"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">loss (nats per token)</text>\n"));
    }

    private static string Polyline(IEnumerable<(double X, double Y)> points, string color, double width)
    {
        var coordinates = string.Join(" ", points.Where(p => double.IsFinite(p.Y)).Select(p => Invariant($"{p.X:0.##},{p.Y:0.##}")));
        return Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\" points=\"{coordinates}\"/>\n");
    }

    /// <summary>An exponential moving average over about 5% of the steps (at least 1).</summary>
    private static List<double> Smooth(IReadOnlyList<LossPoint> points)
    {
        var alpha = 2.0 / (Math.Max(1, points.Count / 20) + 1);
        var result = new List<double>(points.Count);
        foreach (var p in points)
        {
            result.Add(result.Count == 0 || !double.IsFinite(result[^1]) ? p.Loss : result[^1] + alpha * (p.Loss - result[^1]));
        }
        return result;
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1.0, 2, 5, 10 }.Select(m => m * power).First(v => v >= value);
    }

    /// <summary>XML-escaped, with control characters (not allowed in XML 1.0) replaced.</summary>
    private static string Escape(string text)
        => SecurityElement.Escape(new string([.. text.Select(c => char.IsControl(c) ? '?' : c)])) ?? "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
