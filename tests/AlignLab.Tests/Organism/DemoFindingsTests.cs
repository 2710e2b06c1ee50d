using AlignLab.Organism;
using AlignLab.Reports;

namespace AlignLab.Tests.Organism;

public sealed class DemoFindingsTests
{
    private static TdsSummary Summary(long unshifted, long marginal, long shifted, OrganismStats? organism = null, (double Low, double High)? shiftedCi = null)
    {
        var n = unshifted + marginal + shifted;
        var ci = shiftedCi is { } c ? new PerClass<Interval>(new(0, 1), new(0, 1), new(c.Low, c.High)) : (PerClass<Interval>?)null;
        var total = new ClassStats(10, n, new(unshifted, marginal, shifted), new((double)unshifted / n, (double)marginal / n, (double)shifted / n), ci);
        return new TdsSummary(total, [], [], [], null, [], [], [], 0, [], organism);
    }

    private static OrganismStats Organism(PerClass<long> style, PerClass<long> knowledge)
    {
        var shifted = style.Shifted + knowledge.Shifted;
        var styleTotal = style.Unshifted + style.Marginal + style.Shifted;
        var all = styleTotal + knowledge.Unshifted + knowledge.Marginal + knowledge.Shifted;
        return new OrganismStats(style, knowledge, (double)style.Shifted / shifted, (double)style.Shifted / styleTotal, (double)styleTotal / all, 0);
    }

    [Fact]
    public void APaperLikePictureAgreesOnEveryPoint()
    {
        var plain = Summary(80, 10, 10, Organism(new(5, 2, 8), new(75, 8, 2)), (0.07, 0.13));
        var urial = Summary(90, 6, 4, shiftedCi: (0.02, 0.06));
        var findings = DemoFindings.Compare(plain, urial);
        Assert.Equal(4, findings.Count);
        Assert.All(findings, f => Assert.True(f.Agrees, f.Claim + " / " + f.Measured));
        Assert.Equal("shifted 10.0% with the plain prompt, 4.0% with the URIAL prompt", findings[3].Measured);
    }

    [Fact]
    public void ADifferentPictureIsReportedAsDiffering()
    {
        // Shift mostly in knowledge; URIAL makes it worse; overlapping intervals are noted.
        var plain = Summary(40, 20, 40, Organism(new(10, 0, 5), new(30, 20, 35)), (0.3, 0.5));
        var urial = Summary(35, 20, 45, shiftedCi: (0.35, 0.55));
        var findings = DemoFindings.Compare(plain, urial);
        Assert.Equal([false, false, false, false], findings.Select(f => f.Agrees));
        Assert.EndsWith("(their 95% intervals overlap)", findings[3].Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutLabelsOnlyTheUnlabelledFindingsAreCompared()
    {
        var findings = DemoFindings.Compare(Summary(60, 20, 20), Summary(60, 20, 20));
        Assert.Equal(2, findings.Count);
        Assert.False(findings[1].Agrees);   // equal shift is no reduction
    }
}
