using System.Text.Json;
using AlignLab.Reports;
using AlignLab.Tests.Support;
using AlignLab.Tests.Tds;

namespace AlignLab.Tests.Reports;

/// <summary>The report of real tds runs on the fixture models: the pipeline's files read as the schema says.</summary>
public sealed class PipelineReportTests(TdsRunFixture fixture) : IClassFixture<TdsRunFixture>
{
    private static readonly string[] Classes = ["unshifted", "marginal", "shifted"];

    [Fact]
    public void A_run_of_two_aligned_models_ends_with_a_report_that_holds_every_position()
    {
        var folder = fixture.NewFolder();
        var warnings = new List<string>();
        TdsRunFixture.Run(fixture.Options(folder) with { Aligned = [fixture.Models.Perturbed, fixture.Models.Aligned] }, report: new TdsReportWriter(warnings.Add));

        Assert.Empty(warnings);
        using var report = ReportFile.Read(Path.Combine(folder, TdsReport.FileName));
        var subfolders = report.ModelNames.Select(name => Path.Combine(folder, name)).ToList();
        Assert.Equal(2, subfolders.Count);
        // Candidate texts come from the base model's tokenizer, found through run.json.
        Assert.Equal("tokenizer", report.Data.GetProperty("candidate_texts").GetString());
        for (var m = 0; m < subfolders.Count; m++)
        {
            var lines = File.ReadAllLines(Path.Combine(subfolders[m], "positions.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(lines.Count, report.Examples(m).GetProperty("id").GetArrayLength());
            for (var e = 0; e < lines.Count; e++)
            {
                var tokens = lines[e].GetProperty("tokens").EnumerateArray().ToList();
                Assert.Equal(lines[e].GetProperty("instruction").GetString(), report.Instruction(m, e));
                Assert.Equal(tokens.Count, report.PositionCount(m, e));
                for (var p = 0; p < tokens.Count; p++)
                {
                    var position = report.Position(m, e, p);
                    Assert.Equal(tokens[p].GetProperty("id").GetInt32(), position.Id);
                    Assert.Equal(tokens[p].GetProperty("text").GetString(), position.Text);
                    Assert.Equal(tokens[p].GetProperty("class").GetString(), Classes[position.Class]);
                    Assert.Equal(tokens[p].GetProperty("base_rank").GetInt32(), position.Rank);
                    var alignedTop = tokens[p].GetProperty("aligned_top").EnumerateArray().Select(c => c[0].GetInt32()).Take(5);
                    Assert.Equal(alignedTop, position.AlignedTop.Select(c => c.Id));
                    Assert.NotNull(report.VocabText(position.BaseTop[0].Id));
                }
            }
        }
    }
}
