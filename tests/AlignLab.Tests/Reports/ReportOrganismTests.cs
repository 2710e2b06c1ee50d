using System.Text.Json.Nodes;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Reports;

/// <summary>summary.json's "organism" section (labelled runs) reaches the page, and a malformed one is named.</summary>
public sealed class ReportOrganismTests
{
    private static ScratchDirectory RunWithOrganism(string organism)
    {
        var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(1, 3));
        var summary = JsonNode.Parse(File.ReadAllText(scratch.File("summary.json")))!.AsObject();
        summary["organism"] = JsonNode.Parse(organism);
        File.WriteAllText(scratch.File("summary.json"), summary.ToJsonString());
        return scratch;
    }

    [Fact]
    public void The_organism_section_reaches_the_page_data()
    {
        using var scratch = RunWithOrganism("""
            {"style": {"unshifted": 4, "marginal": 1, "shifted": 5}, "knowledge": {"unshifted": 27, "marginal": 2, "shifted": 1},
             "precision": 0.8333, "recall": 0.5, "style_share": 0.25, "unlabelled": 3}
            """);
        using var report = ReportFile.Read(TdsReport.Write(scratch.Path).Path);
        var organism = report.Data.GetProperty("models")[0].GetProperty("summary").GetProperty("organism");
        Assert.Equal([4.0, 1, 5], organism.GetProperty("style").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([27.0, 2, 1], organism.GetProperty("knowledge").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(0.8333, organism.GetProperty("precision").GetDouble());
        Assert.Equal(0.5, organism.GetProperty("recall").GetDouble());
        Assert.Equal(0.25, organism.GetProperty("style_share").GetDouble());
        Assert.Equal(3, organism.GetProperty("unlabelled").GetInt64());
        Assert.Contains("renderOrganism", report.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_labels_has_no_organism_section()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(1, 3));
        using var report = ReportFile.Read(TdsReport.Write(scratch.Path).Path);
        Assert.False(report.Data.GetProperty("models")[0].GetProperty("summary").TryGetProperty("organism", out _));
    }

    [Theory]
    [InlineData("""{"style": {"unshifted": -1, "marginal": 1, "shifted": 5}, "knowledge": {"unshifted": 1, "marginal": 2, "shifted": 1}}""", "organism.style.unshifted: expected an integer ≥ 0")]
    [InlineData("""{"style": {"unshifted": 1, "marginal": 1, "shifted": 5}}""", "organism.knowledge: expected an object")]
    [InlineData("""{"style": {"unshifted": 1, "marginal": 1, "shifted": 5}, "knowledge": {"unshifted": 1, "marginal": 2, "shifted": 1}, "precision": 2}""", "organism.precision: expected a number in 0..")]
    public void A_malformed_organism_section_is_an_error_naming_the_field(string organism, string expected)
    {
        using var scratch = RunWithOrganism(organism);
        var error = Assert.Throws<DataFormatException>(() => TdsReport.Write(scratch.Path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
