using System.Xml.Linq;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Training;
using AlignLab.Training;

namespace AlignLab.Tests.Training;

/// <summary>The training inputs' readers and the loss curve's two files.</summary>
public sealed class TrainingFilesTests
{
    [Fact]
    public void CorpusReadsJsonLinesAndBlankLineSeparatedText()
    {
        using var scratch = new ScratchDirectory();
        Assert.Equal(["one\ntwo", "three"], CorpusReader.Read(scratch.Write("c.jsonl", "{\"text\": \"one\\ntwo\"}\n\n{\"text\": \"three\", \"x\": 1}\n")));
        Assert.Equal(["a b\nc", "d"], CorpusReader.Read(scratch.Write("c.txt", "a b\nc\n\n  \nd\n")));
    }

    [Theory]
    [InlineData("{\"text\": \"ok\"}\n{\"text\": \"broken\n", "c.jsonl:2: invalid JSON at column")]
    [InlineData("{\"text\": \"ok\"}\n{\"words\": \"x\"}\n", "c.jsonl:2: field \"text\" is missing, expected a string")]
    [InlineData("{\"text\": \"\"}\n", "c.jsonl:1: field \"text\" is empty")]
    [InlineData("[1, 2]\n", "c.jsonl:1: record 0 is a number, expected an object")]
    [InlineData("\n\n", "c.jsonl: holds no records")]
    public void BadCorpusLinesAreReportedInOneLine(string content, string expected)
    {
        using var scratch = new ScratchDirectory();
        var error = Assert.Throws<DataFormatException>(() => CorpusReader.Read(scratch.Write("c.jsonl", content)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void InstructionPairsNeedBothFields()
    {
        using var scratch = new ScratchDirectory();
        Assert.Equal([new InstructionPair("q", "a")], InstructionPairReader.Read(scratch.Write("d.jsonl", "{\"instruction\": \"q\", \"output\": \"a\", \"spans\": []}\n")));
        var error = Assert.Throws<DataFormatException>(() => InstructionPairReader.Read(scratch.Write("d.jsonl", "{\"instruction\": \"q\"}\n")));
        Assert.Contains("d.jsonl:1: field \"output\" is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LossLogDropsStepsPastTheCheckpointAndATornLine()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("loss.csv");
        using (var log = LossLog.Open(path, 0))
        {
            for (var step = 1; step <= 5; step++)
            {
                log.Append(new TrainingStepResult(step, 3.0 / step, 1, 0.01f, 100, 90));
            }
        }
        File.AppendAllText(path, "6,0.5,1,0.0");   // a kill in the middle of writing step 6
        using (var resumed = LossLog.Open(path, 3))
        {
            Assert.Equal([1, 2, 3], resumed.Points.Select(p => p.Step));
            resumed.Append(new TrainingStepResult(4, 0.7, 1, 0.01f, 100, 90));
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(LossLog.Header, lines[0]);
        Assert.Equal(["1", "2", "3", "4"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.StartsWith("4,0.7,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void LossCurveIsWellFormedSvgWithItsTitleEscaped()
    {
        var points = Enumerable.Range(1, 50).Select(s => new LossPoint(s, 5.0 / s, 1, 0.01)).ToList();
        var svg = LossCurveSvg.Render(points, "run <script>alert(1)</script> & \u0007");
        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(2, document.Descendants(ns + "polyline").Count());
        Assert.Equal(50, document.Descendants(ns + "polyline").First().Attribute("points")!.Value.Split(' ').Length);
        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value.StartsWith("run <script>alert(1)</script> & ?: loss", StringComparison.Ordinal));
        Assert.NotNull(XDocument.Parse(LossCurveSvg.Render([], "empty")).Root);
    }
}
