using AlignLab.Tds;

namespace AlignLab.Tests.Tds;

public sealed class SpanLabelStatsTests
{
    private static TokenLine Token(ShiftClass shift, string? label)
        => new(1, "t", shift, shift switch { ShiftClass.Unshifted => 1, ShiftClass.Marginal => 2, _ => 9 }, -1, -1, null, null, null, null, 1, 1, null, label);

    private static SpanLabelStats Stats(params (ShiftClass Class, string? Label, int Count)[] groups)
    {
        var stats = new SpanLabelStats();
        foreach (var (shift, label, count) in groups)
        {
            for (var i = 0; i < count; i++)
            {
                stats.Add(Token(shift, label));
            }
        }
        return stats;
    }

    [Fact]
    public void OrganismSectionJudgesShiftedAsAStyleDetector()
    {
        // style: 4 unshifted, 1 marginal, 5 shifted; knowledge: 27 unshifted, 2 marginal, 1 shifted; 3 unlabelled (shifted).
        var stats = Stats((ShiftClass.Unshifted, "style", 4), (ShiftClass.Marginal, "style", 1), (ShiftClass.Shifted, "style", 5),
            (ShiftClass.Unshifted, "knowledge", 27), (ShiftClass.Marginal, "knowledge", 2), (ShiftClass.Shifted, "knowledge", 1),
            (ShiftClass.Shifted, null, 3));
        var organism = stats.OrganismJson()!;
        Assert.Equal(4, (long)organism["style"]!["unshifted"]!);
        Assert.Equal(5, (long)organism["style"]!["shifted"]!);
        Assert.Equal(27, (long)organism["knowledge"]!["unshifted"]!);
        Assert.Equal(1, (long)organism["knowledge"]!["shifted"]!);
        Assert.Equal(5.0 / 6, (double)organism["precision"]!, 12);   // 5 style of 6 labelled shifted positions
        Assert.Equal(5.0 / 10, (double)organism["recall"]!, 12);     // 5 of 10 style positions shifted
        Assert.Equal(10.0 / 40, (double)organism["style_share"]!, 12);
        Assert.Equal(3, (long)organism["unlabelled"]!);
        Assert.Equal(30, (long)stats.ByLabelJson()["knowledge"]!["positions"]!);
    }

    [Fact]
    public void PrecisionIsNullWhenNothingShiftedAndSectionNeedsBothLabels()
    {
        var none = Stats((ShiftClass.Unshifted, "style", 2), (ShiftClass.Unshifted, "knowledge", 2)).OrganismJson()!;
        Assert.Null(none["precision"]);
        Assert.Equal(0.0, (double)none["recall"]!);
        Assert.Null(Stats((ShiftClass.Shifted, "style", 2)).OrganismJson());
        Assert.False(new SpanLabelStats().Any);
        Assert.True(Stats((ShiftClass.Shifted, "other", 1)).Any);
    }
}
