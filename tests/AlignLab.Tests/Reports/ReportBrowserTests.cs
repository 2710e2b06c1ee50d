using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignLab.Tests.Reports;

/// <summary>The report in a real browser: what a reader sees and does, and that hostile text stays text.</summary>
public sealed class ReportBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>An open report and everything the page said or tried while it was open.</summary>
    private sealed class OpenReport(IPage page, List<string> errors, List<string> requests) : IAsyncDisposable
    {
        public IPage Page => page;

        public List<string> Errors => errors;

        public List<string> Requests => requests;

        public async ValueTask DisposeAsync() => await page.Context.CloseAsync();
    }

    private async Task<OpenReport> OpenAsync(string reportPath)
    {
        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add("page error: " + error);
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync(new Uri(reportPath).AbsoluteUri);
        return new OpenReport(page, errors, requests);
    }

    /// <summary>The hostile run of <see cref="ReportEscapingTests"/> plus a second aligned model, as a comparison run.</summary>
    private static string WriteComparisonRun(ScratchDirectory scratch)
    {
        ReportEscapingTests.WriteHostileRun(scratch.Path, ("second", SyntheticExamples.Create(120, 30, seed: 5)));
        return TdsReport.Write(scratch.Path).Path;
    }

    private static async Task AssertNothingInjectedAsync(OpenReport report)
    {
        var page = report.Page;
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"), "an injected script or handler ran");
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Equal(0, await page.Locator("#injected").CountAsync());
        Assert.Equal(0, await page.Locator("textarea").CountAsync());
        Assert.Equal(0, await page.Locator("[onerror]").CountAsync());
        // The page's own script only (the data element removes itself once read).
        Assert.Equal(1, await page.Locator("script").CountAsync());
        Assert.Empty(report.Errors);
        // Nothing but the report file itself was requested: no fetches at all.
        Assert.All(report.Requests, url => Assert.StartsWith("file://", url, StringComparison.Ordinal));
        Assert.Single(report.Requests);
    }

    [Fact]
    public async Task Clicking_a_token_shows_both_models_candidates_rank_and_kl()
    {
        using var scratch = new ScratchDirectory();
        await using var report = await OpenAsync(WriteComparisonRun(scratch));
        var page = report.Page;

        // Overview: class ratios, two position charts, rank histogram and KL, each model a series; hostile names as text.
        var overview = page.Locator("#panel-overview");
        await Expect(overview.Locator("svg")).ToHaveCountAsync(5);
        await Expect(overview.Locator("svg").First.Locator("rect")).ToHaveCountAsync(2 * 3);
        await Expect(overview).ToContainTextAsync("Base model" + ReportEscapingTests.Script);
        await Expect(overview.Locator("table").Last).ToContainTextAsync(ReportEscapingTests.TextArea);
        await page.ClickAsync("#panel-overview summary:text('Options')");
        await Expect(overview).ToContainTextAsync(ReportEscapingTests.Image + ReportEscapingTests.TextArea);
        await page.ClickAsync("#tab-examples");
        await Expect(page.Locator("#instruction")).ToHaveTextAsync("Please repeat " + string.Concat(ReportEscapingTests.Injections));

        // Token 2 of the answer is the image injection: shifted, base rank 9, KL 0.5; candidates per WriteHostileRun.
        var token = page.Locator("#answer .tok[data-p=\"2\"]");
        await Expect(token).ToHaveTextAsync(ReportEscapingTests.Image.Replace(' ', '·'));
        await token.ClickAsync();

        var panel = page.Locator("#position-panel");
        await Expect(panel).ToContainTextAsync("Position 3 of 7");
        await Expect(page.Locator("#panel-rank")).ToHaveTextAsync("Base rank 9");
        await Expect(page.Locator("#panel-kl")).ToHaveTextAsync("KL(aligned‖base) 0.5");
        await Expect(panel).ToContainTextAsync("shifted");
        var aligned = page.Locator("#top-aligned tbody tr");
        await Expect(aligned).ToHaveCountAsync(2);
        await Expect(aligned.Nth(0)).ToContainTextAsync("80%");
        await Expect(aligned.Nth(0)).ToHaveClassAsync("chosen");
        await Expect(aligned.Nth(1)).ToContainTextAsync("10%");
        var baseRows = page.Locator("#top-base tbody tr");
        await Expect(baseRows).ToHaveCountAsync(2);
        await Expect(baseRows.Nth(0)).ToContainTextAsync("60%");
        await Expect(baseRows.Nth(1)).ToContainTextAsync("5%");
        await Expect(page.Locator("#top-aligned caption")).ToHaveTextAsync("Aligned: aligned");
        await Expect(page.Locator("#top-base caption")).ToHaveTextAsync("Base: " + ReportEscapingTests.Script);

        await AssertNothingInjectedAsync(report);
    }

    [Fact]
    public async Task A_run_over_served_models_says_its_kl_is_over_the_top_k_only()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(3, 20, seed: 7));
        await using (var exact = await OpenAsync(TdsReport.Write(scratch.Path).Path))
        {
            await Expect(exact.Page.Locator("#panel-overview svg")).ToHaveCountAsync(5);
            await Expect(exact.Page.Locator("#kl-topk-note")).ToHaveCountAsync(0);
        }

        // What tds writes over served models: kl null everywhere, kl_topk given, and the summary's kl_method "top_k".
        var positions = Path.Combine(scratch.Path, "positions.jsonl");
        File.WriteAllLines(positions, File.ReadAllLines(positions).Where(l => l.Length > 0).Select(l =>
        {
            var example = JsonNode.Parse(l)!;
            foreach (var token in example["tokens"]!.AsArray())
            {
                token!["kl"] = null;
                token["kl_reverse"] = null;
            }
            return example.ToJsonString();
        }));
        var summaryPath = Path.Combine(scratch.Path, "summary.json");
        var summary = JsonNode.Parse(File.ReadAllText(summaryPath))!;
        summary["kl_method"] = "top_k";
        foreach (var bin in summary["mean_kl_by_position"]!.AsArray())
        {
            bin!["mean_kl"] = null;
            bin["mean_kl_reverse"] = null;
            bin["mean_kl_topk"] = 0.02;
        }
        File.WriteAllText(summaryPath, summary.ToJsonString());

        await using var report = await OpenAsync(TdsReport.Write(scratch.Path).Path);
        var page = report.Page;
        await Expect(page.Locator("#kl-topk-note")).ToHaveTextAsync(
            "exact KL not available: served models return only top-k; KL shown is over the top-k (each side renormalised over the ids both lists share).");
        await Expect(page.Locator("#panel-overview svg")).ToHaveCountAsync(5); // the KL chart is drawn, from the top-k means
        await page.ClickAsync("#tab-examples");
        await page.Locator("#answer .tok[data-p=\"0\"]").ClickAsync();
        await Expect(page.Locator("#panel-kl")).ToHaveTextAsync("KL(aligned‖base) over top-k 0.02");
        await Expect(page.Locator("#position-panel")).Not.ToContainTextAsync("KL(base‖aligned)");
        Assert.Empty(report.Errors);
    }

    [Fact]
    public async Task Tokens_are_reachable_and_selectable_from_the_keyboard()
    {
        using var scratch = new ScratchDirectory();
        await using var report = await OpenAsync(WriteComparisonRun(scratch));
        var page = report.Page;
        await page.ClickAsync("#tab-examples");

        await page.Locator("#answer .tok[data-p=\"0\"]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#position-panel")).ToContainTextAsync("Position 1 of 7");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#position-panel")).ToContainTextAsync("Position 3 of 7");
        await Expect(page.Locator("#answer .tok[data-p=\"2\"]")).ToBeFocusedAsync();
        await Expect(page.Locator("#answer .tok[data-p=\"2\"]")).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("End");
        await Expect(page.Locator("#position-panel")).ToContainTextAsync("Position 7 of 7");
        // The newline token shows a mark and breaks the line.
        await Expect(page.Locator("#answer .tok[data-p=\"5\"]")).ToHaveTextAsync("↵");
        Assert.Equal(1, await page.Locator("#answer .tok[data-p=\"5\"] br").CountAsync());

        await AssertNothingInjectedAsync(report);
    }

    [Fact]
    public async Task The_example_list_filters_pages_and_switches_models()
    {
        using var scratch = new ScratchDirectory();
        await using var report = await OpenAsync(WriteComparisonRun(scratch));
        var page = report.Page;
        await page.ClickAsync("#tab-examples");
        await Expect(page.Locator("#list-status")).ToHaveTextAsync("2 of 2 examples");

        await page.FillAsync("#search", "plain question");
        await Expect(page.Locator("#list-status")).ToHaveTextAsync("1 of 2 examples");
        await page.FillAsync("#search", "");

        await page.SelectOptionAsync("#model-select", new SelectOptionValue { Label = "second" });
        await Expect(page.Locator("#list-status")).ToHaveTextAsync("120 of 120 examples · showing 1–50");
        await Expect(page.Locator("#example-list li")).ToHaveCountAsync(50);
        await page.ClickAsync("text=Next ›");
        await Expect(page.Locator("#list-status")).ToHaveTextAsync("120 of 120 examples · showing 51–100");

        await page.SelectOptionAsync("#category-filter", new SelectOptionValue { Label = "safety" });
        await Expect(page.Locator("#list-status")).ToHaveTextAsync("24 of 120 examples");
        await page.FillAsync("#shift-min", "101");
        await Expect(page.Locator("#list-status")).ToHaveTextAsync("0 of 120 examples");

        await AssertNothingInjectedAsync(report);
    }

    [Fact]
    public async Task A_labelled_run_shows_the_style_and_knowledge_tables()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(2, 5));
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(scratch.File("summary.json")))!.AsObject();
        summary["organism"] = System.Text.Json.Nodes.JsonNode.Parse("""
            {"style": {"unshifted": 4, "marginal": 1, "shifted": 5}, "knowledge": {"unshifted": 27, "marginal": 2, "shifted": 1},
             "precision": 0.8333, "recall": 0.5, "style_share": 0.25, "unlabelled": 3}
            """);
        File.WriteAllText(scratch.File("summary.json"), summary.ToJsonString());
        await using var report = await OpenAsync(TdsReport.Write(scratch.Path).Path);
        var page = report.Page;
        await Expect(page.Locator("h2", new() { HasText = "Style and knowledge tokens" })).ToBeVisibleAsync();
        var rows = page.Locator("#panel-overview tr", new() { HasText = "knowledge" });
        await Expect(rows.First).ToContainTextAsync("30");
        await Expect(rows.First).ToContainTextAsync("27 (90.0%)");
        await Expect(page.Locator("#panel-overview td", new() { HasText = "83.3%" })).ToHaveCountAsync(1);
        Assert.Empty(report.Errors);
    }
}
