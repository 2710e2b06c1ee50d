using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace AlignLab.Reports;

/// <summary>
/// The frame of a script-free, self-contained report page (the Just-Eval and pluralism pages): the stylesheet inline and
/// allowed by its hash in a Content-Security-Policy that forbids everything else (no script, no fetch, images only as
/// data: URLs), no referrer, and a header. Every text from files goes through <see cref="Html"/>.
/// </summary>
internal static class StaticPage
{
    /// <summary>Writes everything up to the opening of &lt;main&gt;.</summary>
    public static void Open(StringBuilder html, string title, string subtitle, string css)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Html(title)).Append("</title>\n<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<style>").Append(css).Append("</style>\n</head>\n<body>\n")
            .Append("<header class=\"page-header\"><h1>").Append(Html(title)).Append("</h1><p class=\"subtitle\">").Append(Html(subtitle))
            .Append("</p></header>\n<main>\n");
    }

    public static void Close(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n");

    /// <summary>One swatch per series, coloured by its class (see <see cref="JustEval.JudgeReportStyle.SeriesColors"/>), with its label.</summary>
    public static void Legend(StringBuilder html, IReadOnlyList<string> labels)
    {
        html.Append("<div class=\"legend\">");
        for (var s = 0; s < labels.Count; s++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><span class=\"swatch s{s % JustEval.JudgeReportStyle.SeriesColors.Length}\"></span>{Html(labels[s])}</span>");
        }
        html.Append("</div>\n");
    }

    /// <summary>A titled table: the first column text, the others numbers (right-aligned).</summary>
    public static void Table(StringBuilder html, string title, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        html.Append("<h2>").Append(Html(title)).Append("</h2>\n<div class=\"scroll\"><table><thead><tr>");
        foreach (var column in columns)
        {
            html.Append("<th>").Append(Html(column)).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(i == 0 ? "<td>" : "<td class=\"num\">").Append(Html(row[i])).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>\n");
    }

    /// <summary>HTML-escapes <paramref name="text"/> for element content and attribute values.</summary>
    public static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
