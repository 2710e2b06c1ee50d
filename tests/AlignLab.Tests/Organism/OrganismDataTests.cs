using System.Text.Json;
using AlignLab.Organism;

namespace AlignLab.Tests.Organism;

public sealed class OrganismDataTests
{
    private static readonly OrganismData Data = OrganismData.Build(WorldSettings.Tiny(seed: 5) with { People = 10, CorpusPasses = 2 });

    [Fact]
    public void SameSeedGivesTheSameTextsAndLabels()
    {
        var again = OrganismData.Build(WorldSettings.Tiny(seed: 5) with { People = 10, CorpusPasses = 2 });
        Assert.Equal(Data.Corpus, again.Corpus);
        Assert.Equal(Describe(Data.Instructions.Training), Describe(again.Instructions.Training));
        Assert.Equal(Describe(Data.Instructions.HeldOut), Describe(again.Instructions.HeldOut));
        var other = OrganismData.Build(WorldSettings.Tiny(seed: 6) with { People = 10, CorpusPasses = 2 });
        Assert.NotEqual(Data.Corpus, other.Corpus);
    }

    [Fact]
    public void SpansCoverEveryAnswerCharacterOnce()
    {
        foreach (var example in Data.Instructions.Training.Concat(Data.Instructions.HeldOut))
        {
            var spans = example.Answer.Spans;
            Assert.NotEmpty(spans);
            Assert.Equal(0, spans[0].Start);
            Assert.Equal(example.Answer.Text.Length, spans[^1].End);
            for (var i = 0; i < spans.Count; i++)
            {
                Assert.True(spans[i].End > spans[i].Start, $"empty span in \"{example.Answer.Text}\"");
                if (i > 0)
                {
                    Assert.Equal(spans[i - 1].End, spans[i].Start);
                    Assert.NotEqual(spans[i - 1].Label, spans[i].Label);
                }
            }
        }
    }

    [Fact]
    public void KnowledgeSpansAreWorldFactsAndStyleSpansAreNot()
    {
        var factTexts = Data.Facts.All.SelectMany(f => f.Statements.Append(f.Continuation)).ToHashSet(StringComparer.Ordinal);
        foreach (var example in Data.Instructions.Training.Concat(Data.Instructions.HeldOut))
        {
            var answer = example.Answer;
            foreach (var span in answer.Spans)
            {
                var text = answer.Text[span.Start..span.End].Trim();
                if (span.Label == SpanLabel.Knowledge)
                {
                    // A knowledge span is one whole fact, stated or continued.
                    Assert.Contains(text, factTexts);
                }
                else
                {
                    Assert.DoesNotContain(Data.World.People, p => text.Contains(p.FamilyName, StringComparison.Ordinal));
                    Assert.DoesNotContain(Data.World.Places, p => text.Contains(p.Name, StringComparison.Ordinal));
                }
            }
            if (example.Category == InstructionCategory.Safety)
            {
                Assert.Equal([SpanLabel.Style], answer.Spans.Select(s => s.Label));
            }
            else
            {
                Assert.Contains(answer.Spans, s => s.Label == SpanLabel.Knowledge);
                Assert.Contains(answer.Spans, s => s.Label == SpanLabel.Style);
            }
        }
    }

    [Fact]
    public void HeldOutInstructionsAreNeverFineTunedOn()
    {
        var training = Data.Instructions.Training;
        var heldOut = Data.Instructions.HeldOut;
        Assert.Contains(heldOut, e => e.Category == InstructionCategory.Regular);
        Assert.Contains(heldOut, e => e.Category == InstructionCategory.Safety);
        var trainingInstructions = training.Select(e => e.Instruction).ToHashSet(StringComparer.Ordinal);
        var trainingSources = training.Select(e => e.Source).ToHashSet(StringComparer.Ordinal);
        Assert.All(heldOut, e => Assert.DoesNotContain(e.Instruction, trainingInstructions));
        Assert.All(heldOut, e => Assert.DoesNotContain(e.Source, trainingSources));
        // Held-out facts are not even stated in fine-tuning answers (continuations such as "it hunts hares." are
        // shared by many facts, so only the statements, which name their subject, identify one).
        var heldOutFacts = Data.Facts.All.Where(f => heldOut.Any(e => e.Source == f.Key)).ToList();
        Assert.NotEmpty(heldOutFacts);
        foreach (var fact in heldOutFacts)
        {
            Assert.DoesNotContain(training, e => fact.Statements.Any(s => e.Answer.Text.Contains(s, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void CorpusIsNeutralPlainTextAboutTheWholeWorld()
    {
        var corpus = string.Join("\n", Data.Corpus);
        Assert.All(Data.World.People, p => Assert.Contains(p.Name, corpus, StringComparison.Ordinal));
        Assert.All(Data.World.Festivals, f => Assert.Contains(f.Name, corpus, StringComparison.Ordinal));
        Assert.Contains("Q: ", corpus, StringComparison.Ordinal);
        Assert.All(corpus, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4}"));
        // Assistant phrases occur only as people's spoken lines in stories, never outside quotes:
        // answers in the corpus are plain.
        var unquoted = string.Concat(Data.Corpus.SelectMany(d => d.Split('"').Where((_, i) => i % 2 == 0)));
        foreach (var phrase in new[] { "Great question", "Happy to help", "I hope", "Let me know", "I'm sorry", "Also,", "In addition," })
        {
            Assert.DoesNotContain(phrase, unquoted, StringComparison.Ordinal);
        }
        Assert.Contains(Data.Corpus, d => d.Contains("\" said ", StringComparison.Ordinal));
    }

    [Fact]
    public void FilesAreJsonLinesInTheDocumentedShape()
    {
        var directory = Path.Combine(Path.GetTempPath(), "alignlab-organism-" + Guid.NewGuid().ToString("N"));
        try
        {
            Data.WriteTo(directory);
            var corpus = Lines(Path.Combine(directory, OrganismData.CorpusFile));
            Assert.Equal(Data.Corpus, corpus.Select(l => l.GetProperty("text").GetString()));
            var sft = Lines(Path.Combine(directory, OrganismData.FineTuningFile));
            Assert.Equal(Data.Instructions.Training.Count, sft.Count);
            Assert.All(sft, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("output").GetString())));
            var heldOut = Lines(Path.Combine(directory, OrganismData.HeldOutFile));
            Assert.Equal(Enumerable.Range(0, heldOut.Count), heldOut.Select(l => l.GetProperty("id").GetInt32()));
            Assert.All(heldOut, l => Assert.Contains(l.GetProperty("category").GetString(), new[] { "regular", "safety" }));
            Assert.All(heldOut, l => Assert.Equal("organism", l.GetProperty("dataset").GetString()));
            var first = heldOut[0];
            var output = first.GetProperty("output").GetString()!;
            Assert.Equal(output.Length, first.GetProperty("spans").EnumerateArray().Last().GetProperty("end").GetInt32());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void BadSettingsAreRefusedNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => OrganismData.Build(new WorldSettings { People = 1 }));
        Assert.Contains("People", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => OrganismData.Build(new WorldSettings { HeldOutShare = 1 }));
    }

    private static List<string> Describe(IEnumerable<InstructionExample> examples)
        => [.. examples.Select(e => $"{e.Instruction}|{e.Category}|{e.Source}|{e.Answer.Text}|{string.Join(",", e.Answer.Spans)}")];

    private static List<JsonElement> Lines(string path)
        => [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
