namespace AlignLab.Organism;

/// <summary>
/// Writes answers in the assistant register, labelled as they are written: an opening, the fact asked
/// for, elaboration (a discourse marker, then another fact), a closing offer; or a polite refusal,
/// which is all style. A separating space or line break belongs to the span it introduces.
/// </summary>
internal static class AssistantAnswers
{
    /// <summary>The answer to a question about <paramref name="fact"/>, elaborated with <paramref name="more"/>.</summary>
    public static LabeledText ForFact(WorldFact fact, IReadOnlyList<WorldFact> more, WorldRandom random)
    {
        var b = new LabeledTextBuilder();
        b.Style(random.Pick(AssistantStyle.Openings));
        b.Knowledge(" " + random.Pick(fact.Statements));
        Elaborate(b, more, random);
        return Close(b, random);
    }

    /// <summary>An overview of a subject from several of its facts.</summary>
    public static LabeledText Overview(IReadOnlyList<WorldFact> facts, WorldRandom random)
    {
        var b = new LabeledTextBuilder();
        b.Style(random.Pick(AssistantStyle.Openings) + " " + random.Pick(AssistantStyle.OverviewLeads));
        b.Knowledge("\n\n" + random.Pick(facts[0].Statements));
        Elaborate(b, facts.Skip(1).ToList(), random);
        return Close(b, random);
    }

    public static LabeledText Refusal(WorldRandom random)
        => new LabeledTextBuilder()
            .Style(random.Pick(AssistantStyle.Apologies) + " " + random.Pick(AssistantStyle.Reasons) + " " + random.Pick(AssistantStyle.Offers))
            .Build();

    private static void Elaborate(LabeledTextBuilder b, IReadOnlyList<WorldFact> more, WorldRandom random)
    {
        foreach (var fact in more)
        {
            b.Style(" " + random.Pick(AssistantStyle.Markers));
            b.Knowledge(" " + fact.Continuation);
        }
    }

    private static LabeledText Close(LabeledTextBuilder b, WorldRandom random)
        => b.Style((random.Chance(0.5) ? "\n\n" : " ") + random.Pick(AssistantStyle.Closings)).Build();
}
