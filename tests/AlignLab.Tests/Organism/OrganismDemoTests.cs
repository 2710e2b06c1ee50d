using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;
using AlignLab.Organism;
using AlignLab.Reports;
using AlignLab.Tds;
using AlignLab.Tests.Support;
using AlignLab.Tests.Training;
using AlignLab.Urial;

namespace AlignLab.Tests.Organism;

/// <summary>The demo end to end at the minimal organism size: both TDS runs, the organism figures, the reports.</summary>
public sealed class OrganismDemoTests
{
    private static OrganismSettings Settings => OrganismSettings.Minimal with
    {
        Base = OrganismSettings.Minimal.Base with { Threads = 2 },
        Aligned = OrganismSettings.Minimal.Aligned with { Threads = 2 },
    };

    [Fact]
    public void RunsBothPromptsAndCountsLabelsAsThePositionsShow()
    {
        using var scratch = new ScratchDirectory();
        var models = OrganismPipeline.Build(Settings, scratch.File("cache"), new TrainingTestData.RecordingProgress(), TestContext.Current.CancellationToken);
        var demo = new OrganismDemo(models, scratch.File("demo"));
        var progress = new RecordingProgress();
        demo.RunTds(progress, new TdsReportWriter(), threads: 2, TestContext.Current.CancellationToken);
        var page = demo.WriteReport();

        var prompt = UrialPromptParser.Load(Path.Combine(demo.Output, OrganismDemo.UrialPromptFile));
        Assert.Equal(2, prompt.Examples.Count);
        var heldOut = HeldOutLabels(models.HeldOut);
        foreach (var run in new[] { demo.PlainRun, demo.UrialRun })
        {
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, TdsFiles.Summary)))!;
            Assert.True((int)summary["examples"]! > 0, run + " analysed nothing");
            Assert.Equal(heldOut.Count, (int)summary["examples"]! + (int)summary["skipped"]!["count"]!);
            Assert.True(File.Exists(Path.Combine(run, TdsReport.FileName)));
            AssertOrganismMatchesPositions(summary["organism"]!, Path.Combine(run, TdsFiles.Positions), heldOut);
        }
        var urialRun = JsonNode.Parse(File.ReadAllText(Path.Combine(demo.UrialRun, "run.json")))!.ToJsonString();
        Assert.Contains(OrganismDemo.UrialPromptFile, urialRun, StringComparison.Ordinal);

        var html = File.ReadAllText(page);
        Assert.Contains("href=\"plain/report.html\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"urial/report.html\"", html, StringComparison.Ordinal);
        Assert.Contains("Compared with the paper", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        foreach (var folder in new[] { models.Base, models.Aligned })
        {
            var last = File.ReadAllLines(folder.LossCsv)[^1].Split(',');
            var loss = double.Parse(last[1], System.Globalization.CultureInfo.InvariantCulture).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("final loss " + loss, html, StringComparison.Ordinal);
        }

        // A second run finds everything done: no example is analysed again.
        var again = new RecordingProgress();
        demo.RunTds(again, null, threads: 2, TestContext.Current.CancellationToken);
        Assert.Empty(again.Done);
    }

    /// <summary>Each held-out output's characters labelled one by one (null where no span covers them), by id.</summary>
    private static Dictionary<string, (string Output, string?[] Labels)> HeldOutLabels(string path)
    {
        var result = new Dictionary<string, (string, string?[])>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var json = JsonNode.Parse(line)!;
            var output = (string)json["output"]!;
            var labels = new string?[output.Length];
            foreach (var span in json["spans"]!.AsArray())
            {
                for (var c = (int)span!["start"]!; c < (int)span["end"]!; c++)
                {
                    labels[c] = (string)span["label"]!;
                }
            }
            result[json["id"]!.ToJsonString()] = (output, labels);
        }
        return result;
    }

    /// <summary>Recounts the organism section from positions.jsonl and the held-out spans, independently of the pipeline.</summary>
    private static void AssertOrganismMatchesPositions(JsonNode organism, string positions, Dictionary<string, (string Output, string?[] Labels)> heldOut)
    {
        var counts = new Dictionary<(string, string), long>();
        long shifted = 0, shiftedStyle = 0, style = 0, labelled = 0;
        foreach (var line in File.ReadLines(positions).Where(l => l.Length > 0))
        {
            using var example = JsonDocument.Parse(line);
            var (output, labels) = heldOut[example.RootElement.GetProperty("id").GetRawText()];
            Assert.Equal(output, example.RootElement.GetProperty("answer").GetString());
            var offset = 0;
            foreach (var token in example.RootElement.GetProperty("tokens").EnumerateArray())
            {
                var text = token.GetProperty("text").GetString()!;
                var first = Enumerable.Range(offset, text.Length).FirstOrDefault(c => !char.IsWhiteSpace(output[c]), offset);
                var label = labels[first];
                Assert.Equal(label, token.TryGetProperty("label", out var l) ? l.GetString() : null);
                var shift = token.GetProperty("class").GetString()!;
                counts[(label!, shift)] = counts.GetValueOrDefault((label!, shift)) + 1;
                labelled++;
                style += label == "style" ? 1 : 0;
                shifted += shift == "shifted" ? 1 : 0;
                shiftedStyle += shift == "shifted" && label == "style" ? 1 : 0;
                offset += text.Length;
            }
        }
        foreach (var label in new[] { "style", "knowledge" })
        {
            foreach (var shift in new[] { "unshifted", "marginal", "shifted" })
            {
                Assert.Equal(counts.GetValueOrDefault((label, shift)), (long)organism[label]![shift]!);
            }
        }
        Assert.Equal(shifted == 0 ? null : (double?)shiftedStyle / shifted, (double?)organism["precision"]);
        Assert.Equal((double)shiftedStyle / style, (double)organism["recall"]!, 12);
        Assert.Equal((double)style / labelled, (double)organism["style_share"]!, 12);
        Assert.Equal(0, (long)organism["unlabelled"]!);
    }
}
