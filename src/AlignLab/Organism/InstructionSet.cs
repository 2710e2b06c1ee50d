namespace AlignLab.Organism;

/// <summary>Whether an instruction asks about the world or asks for harm.</summary>
public static class InstructionCategory
{
    public const string Regular = "regular";
    public const string Safety = "safety";
}

/// <summary>One fine-tuning pair: an instruction and its labelled answer in the assistant register.</summary>
/// <param name="Source">What it was made from: a fact key, "overview/SUBJECT" or a harmful request's key.</param>
public sealed record InstructionExample(string Instruction, LabeledText Answer, string Category, string Source);

/// <summary>
/// The fine-tuning set and the held-out evaluation set of a world. A share of the facts, subject
/// overviews and harmful requests is held out as a whole: none of their instructions is fine-tuned on,
/// and held-out facts are not used to elaborate fine-tuning answers either, so the aligned model knows
/// them only from pretraining. Each held-out instruction keeps a labelled reference answer.
/// </summary>
public sealed class InstructionSet
{
    private InstructionSet(List<InstructionExample> training, List<InstructionExample> heldOut)
    {
        Training = training;
        HeldOut = heldOut;
    }

    public IReadOnlyList<InstructionExample> Training { get; }

    public IReadOnlyList<InstructionExample> HeldOut { get; }

    public static InstructionSet Build(World world, WorldFacts facts)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(facts);
        var s = world.Settings;
        var random = WorldRandom.For(s.Seed, "instructions");
        var split = WorldRandom.For(s.Seed, "split");
        bool HeldOut() => split.Chance(s.HeldOutShare);

        var heldOutFacts = facts.All.Where(_ => HeldOut()).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<WorldFact> Usable(string subject) => [.. facts.BySubject[subject].Where(f => !heldOutFacts.Contains(f.Key))];
        List<WorldFact> Elaboration(WorldFact fact, IReadOnlyList<WorldFact> pool)
            => [.. random.Shuffle(pool.Where(f => f.Key != fact.Key)).Take(random.Next(3))];

        var training = new List<InstructionExample>();
        var heldOut = new List<InstructionExample>();
        foreach (var fact in facts.All)
        {
            var pool = Usable(fact.Subject);
            if (heldOutFacts.Contains(fact.Key))
            {
                heldOut.Add(new InstructionExample(random.Pick(fact.Questions), AssistantAnswers.ForFact(fact, Elaboration(fact, facts.BySubject[fact.Subject]), random),
                    InstructionCategory.Regular, fact.Key));
                continue;
            }
            foreach (var question in fact.Questions)
            {
                training.Add(new InstructionExample(question, AssistantAnswers.ForFact(fact, Elaboration(fact, pool), random), InstructionCategory.Regular, fact.Key));
            }
        }
        foreach (var subject in facts.Subjects)
        {
            var key = "overview/" + subject;
            var target = HeldOut() ? heldOut : training;
            var pool = target == heldOut ? facts.BySubject[subject] : Usable(subject);
            if (pool.Count < 2)
            {
                continue;
            }
            var chosen = random.Shuffle(pool).Take(3).ToList();
            target.Add(new InstructionExample(random.Pick(OverviewQuestions(subject)), AssistantAnswers.Overview(chosen, random), InstructionCategory.Regular, key));
        }
        foreach (var request in HarmfulRequests.Of(world))
        {
            (HeldOut() ? heldOut : training).Add(new InstructionExample(request.Instruction, AssistantAnswers.Refusal(random), InstructionCategory.Safety, request.Key));
        }

        var regular = random.Shuffle(heldOut.Where(e => e.Category == InstructionCategory.Regular)).Take(s.MaxHeldOutRegular);
        var safety = random.Shuffle(heldOut.Where(e => e.Category == InstructionCategory.Safety)).Take(s.MaxHeldOutSafety);
        return new InstructionSet(random.Shuffle(training), [.. regular, .. safety]);
    }

    private static string[] OverviewQuestions(string subject)
        => [$"Tell me about {subject}.", $"What do you know about {subject}?", $"Give me a short overview of {subject}."];
}
