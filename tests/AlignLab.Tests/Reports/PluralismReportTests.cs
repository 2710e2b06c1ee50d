using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Embeddings;
using AlignLab.Engine.Tests.Support;
using AlignLab.Pluralism;
using AlignLab.Pluralism.Coverage;
using AlignLab.Reports;
using AlignLab.Tests.JustEval;
using AlignLab.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace AlignLab.Tests.Reports;

/// <summary>The pluralism page: self-contained, hostile text escaped everywhere (answers, instructions, ids, judge reasons), the figures shown; and in a real browser.</summary>
public sealed partial class PluralismReportTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly string Hostile = string.Concat(ReportEscapingTests.Injections);

    /// <summary>Unit vectors from the text's length: any text has one, and different lengths differ.</summary>
    private sealed class LengthEmbedder : IEmbedder, ITokenEmbedder
    {
        public string Name => "length " + ReportEscapingTests.Script;

        public string TokenVectorsName => "length tokens";

        public float[] Embed(string text) => UnitVector.Normalize([text.Length % 7 + 1, 3]);

        public IReadOnlyList<float[]> EmbedTokens(string text) => [.. text.Split(' ').Select(Embed)];
    }

    /// <summary>
    /// Two instructions (one with a hostile id, instruction and answers), a reference "chat" and an alternative "base", measured with
    /// <see cref="LengthEmbedder"/> and a scripted judge whose reasons are hostile too: missing 3 and 5, every topic in both.
    /// </summary>
    private static async Task<string> WriteHostileRunAsync(ScratchDirectory dir)
    {
        var id = JsonSerializer.Serialize(ReportEscapingTests.Image);
        var instruction = JsonSerializer.Serialize("Repeat " + Hostile);
        var answer = JsonSerializer.Serialize("Sure: " + Hostile);
        var reference = SampleSet.Read(dir.Write("chat.jsonl",
            $"{{\"id\": {id}, \"instruction\": {instruction}, \"samples\": [{{\"output\": {answer}}}, {{\"output\": \"a b c\"}}]}}\n"
            + "{\"id\": 2, \"instruction\": \"Plain?\", \"samples\": [{\"output\": \"one two\"}, {\"output\": \"one two three\"}]}\n"));
        var alternative = SampleSet.Read(dir.Write("base.jsonl",
            $"{{\"id\": {id}, \"instruction\": {instruction}, \"samples\": [{{\"output\": \"x y\"}}, {{\"output\": {answer}}}]}}\n"
            + "{\"id\": 2, \"instruction\": \"Plain?\", \"samples\": [{\"output\": \"four\"}, {\"output\": \"four four\"}]}\n"));
        var reason = JsonSerializer.Serialize(ReportEscapingTests.TextArea);
        var server = ScriptedJudge.Server(body => ScriptedJudge.Chat(ScriptedJudge.Prompt(body).Contains("List the topics", StringComparison.Ordinal)
            ? $"{{\"topics\": [{{\"topic\": {reason}, \"in\": \"both\"}}]}}"
            : $"{{\"missing\": {{\"reason\": {reason}, \"score\": {(ScriptedJudge.Prompt(body).Contains("Plain?", StringComparison.Ordinal) ? 5 : 3)}}}}}"));
        using var judge = LanguageModels.Open(ScriptedJudge.Reference, remote: new RemoteModelOptions { Handler = server, Concurrency = 1 });
        var output = dir.File("measures");
        var embedder = new LengthEmbedder();
        await PluralismMeasureRun.ExecuteAsync(new MeasureJob
        {
            Reference = reference,
            Alternatives = [alternative],
            OutputDirectory = output,
            Embedder = embedder,
            TokenEmbedder = embedder,
            Coverage = new CoverageJudgeJob(judge, new CoverageSettings { Judge = "judge " + ReportEscapingTests.Script, CachePath = dir.File("cache.jsonl"), Concurrency = 1 }),
        }, cancel: TestContext.Current.CancellationToken);
        return Path.Combine(output, PluralismMeasureRun.ReportFile);
    }

    [Fact]
    public async Task The_page_is_self_contained_escapes_every_text_and_shows_the_figures()
    {
        using var dir = new ScratchDirectory();
        var html = File.ReadAllText(await WriteHostileRunAsync(dir));

        foreach (var raw in ReportEscapingTests.Injections.Concat(["<script", "<img", "</textarea", "<b id", "\u2028", "\u2029"]))
        {
            Assert.DoesNotContain(raw, html, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;", html, StringComparison.Ordinal);
        // Nothing to load: no src or link in any tag but the empty data: icon, no url(), no @import; a CSP that forbids everything but the inline style.
        Assert.DoesNotMatch(Resource(), html);
        Assert.Single(Regex.Matches(html, "<link ", RegexOptions.CultureInvariant));
        Assert.Contains("<link rel=\"icon\" href=\"data:,\">", html, StringComparison.Ordinal);
        Assert.Contains("content=\"default-src 'none'; style-src 'sha256-", html, StringComparison.Ordinal);

        // Missing scores 3 and 5: mean 4 over two instructions. Topics: all in both.
        Assert.Contains("<td class=\"num\">4.000 [3.000, 5.000] (2)</td>", html, StringComparison.Ordinal);
        Assert.Contains("2; 1.000 [1.000, 1.000] (2)", html, StringComparison.Ordinal);
        // Instruction 2's base samples "four" and "four four": one unique word of three.
        var distinctOfPlain = 1.0 / 3;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"distinct_1 {distinctOfPlain:0.###}"), html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(html, "<svg ", RegexOptions.CultureInvariant).Count);
        // Ceilings of cosine, BERTScore and content-word Jaccard.
        Assert.Equal(3, Regex.Matches(html, "class=\"ceiling\"", RegexOptions.CultureInvariant).Count);
        Assert.Equal(2, Regex.Matches(html, "<details class=\"instruction\">", RegexOptions.CultureInvariant).Count);
    }

    [Fact]
    public async Task The_published_answer_sets_give_a_page_that_browses_the_first_instructions_only()
    {
        using var dir = new ScratchDirectory();
        var sets = new[] { "outputs.gpt-4-0613.json", "just-eval-instruct.llama-2-7b-chat.json", "outputs.Llama-2-70b-hf.json" }
            .Select(f => SampleSet.Read(SharedFixtures.Require("data/just-eval/" + f))).ToList();
        var output = dir.File("measures");
        await PluralismMeasureRun.ExecuteAsync(new MeasureJob { Reference = sets[0], Alternatives = sets[1..], OutputDirectory = output },
            cancel: TestContext.Current.CancellationToken);

        var html = File.ReadAllText(Path.Combine(output, PluralismMeasureRun.ReportFile));
        Assert.Equal(PluralismReportPage.BrowserLimit, Regex.Matches(html, "<details class=\"instruction\">", RegexOptions.CultureInvariant).Count);
        Assert.Contains($"The first {PluralismReportPage.BrowserLimit} of 1000 instructions", html, StringComparison.Ordinal);
        Assert.InRange(new FileInfo(Path.Combine(output, PluralismMeasureRun.ReportFile)).Length, 100_000, 10_000_000);
        // One answer per instruction: no pair measures, one set of lengths; GPT-4's refusal rate is its share of refusing answers.
        var refusals = sets[0].Instructions.Count(i => Refusals.IsRefusal(i.Samples[0]));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"<td>refusal_rate</td><td class=\"num\">{(double)refusals / 1000:F3} ["), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_browser_hostile_text_stays_text_and_nothing_is_fetched()
    {
        using var dir = new ScratchDirectory();
        var path = await WriteHostileRunAsync(dir);
        var context = await chromium.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var requests = new List<string>();
            var errors = new List<string>();
            page.Request += (_, request) => requests.Add(request.Url);
            page.Console += (_, message) => errors.Add(message.Text);
            page.PageError += (_, error) => errors.Add(error);
            await page.GotoAsync(new Uri(path).AbsoluteUri);

            var first = page.Locator("details.instruction").First;
            await first.Locator("summary").ClickAsync();
            await Expect(first.Locator(".sample").First).ToHaveTextAsync("Repeat " + Hostile);
            await Expect(first).ToContainTextAsync(ReportEscapingTests.TextArea);
            await Expect(page.Locator("svg")).ToHaveCountAsync(2);
            await Expect(page.Locator("table").First).ToContainTextAsync("bertscore_f1");
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
            Assert.Equal(0, await page.Locator("script, img, textarea, #injected").CountAsync());
            Assert.Equal([new Uri(path).AbsoluteUri], requests);
            Assert.Empty(errors);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A loading attribute inside a real tag (every '&lt;' of text is escaped, so a raw one opens markup), or a stylesheet fetch.</summary>
    [GeneratedRegex(@"<[^>]*\s(?:src|action|srcset|data)=|<a\s|url\(|@import", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Resource();
}
