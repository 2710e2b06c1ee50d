namespace AlignLab.JustEval;

/// <summary>The summary page's stylesheet: the TDS report's look (colours, tables), plus one colour per answer set for bars and swatches.</summary>
internal static class JudgeReportStyle
{
    /// <summary>Colours of the sets, in order; a ninth set takes the first again.</summary>
    public static readonly string[] SeriesColors = ["#0969da", "#cf222e", "#1a7f37", "#bf8700", "#8250df", "#bc4c00", "#1b7c83", "#6e7781"];

    public static string Css { get; } = BaseCss + string.Concat(SeriesColors.Select((c, i) => $".s{i} {{ fill: {c}; background: {c}; }}\n"));

    private const string BaseCss = """
        :root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; font-size: 15px; color: var(--fg); background: var(--bg); }
        body { margin: 0; }
        .page-header { padding: 16px 24px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 8px; }
        .subtitle { margin: 0; color: var(--muted); }
        main { padding: 8px 24px 48px; }
        table { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: var(--panel); font-weight: 600; }
        td.num { text-align: right; white-space: nowrap; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .chart { max-width: 760px; }
        .chart svg { width: 100%; height: auto; display: block; }
        .chart .axis { stroke: #8c959f; stroke-width: 1; }
        .chart .gridline { stroke: #eaeef2; stroke-width: 1; }
        .chart text { font-size: 11px; fill: var(--muted); }
        .chart text.label { fill: var(--fg); }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0; font-size: 13px; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
        .notes li { margin: 2px 0; }

        """;
}
