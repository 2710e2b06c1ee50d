using System.Text;

namespace AlignLab.Organism;

/// <summary>
/// The base model's reading: the world written up in a neutral register, as encyclopedia-like
/// entries, short stories (some with dialogue), plain question–answer lines and lists. Each pass over the world draws
/// fresh wording and order, so facts recur in many phrasings. Documents are plain text (ASCII); the
/// trainer adds the end-of-text token.
/// </summary>
public static class PretrainingCorpus
{
    public static IReadOnlyList<string> Build(World world, WorldFacts facts)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(facts);
        var documents = new List<string>();
        for (var pass = 0; pass < world.Settings.CorpusPasses; pass++)
        {
            var random = WorldRandom.For(world.Settings.Seed, $"corpus/{pass}");
            foreach (var subject in facts.Subjects)
            {
                documents.Add(Entry(subject, facts.BySubject[subject], random));
            }
            foreach (var person in world.People)
            {
                documents.Add(random.Next(3) switch
                {
                    0 => Errand(person, random),
                    1 => Visit(person, world, random),
                    _ => Conversation(person, facts, random),
                });
            }
            foreach (var group in random.Shuffle(facts.All).Chunk(5))
            {
                documents.Add(QuestionsAndAnswers(group, random));
            }
            documents.AddRange(Lists(world, random));
        }
        return WorldRandom.For(world.Settings.Seed, "corpus/order").Shuffle(documents);
    }

    /// <summary>A title line, then the facts: the first naming the subject, the rest mostly by pronoun.</summary>
    private static string Entry(string subject, IReadOnlyList<WorldFact> facts, WorldRandom random)
    {
        var text = new StringBuilder(Text.Capitalize(subject)).Append("\n\n");
        var ordered = random.Shuffle(facts);
        text.Append(random.Pick(ordered[0].Statements));
        foreach (var fact in ordered.Skip(1))
        {
            text.Append(' ').Append(random.Chance(0.6) ? Text.Capitalize(fact.Continuation) : random.Pick(fact.Statements));
        }
        return text.ToString();
    }

    private static string QuestionsAndAnswers(IEnumerable<WorldFact> facts, WorldRandom random)
        => string.Join("\n", facts.Select(f => $"Q: {random.Pick(f.Questions)}\nA: {random.Pick(f.Statements)}"));

    /// <summary>A short story of a person's day: home, work, pet, friend and treasured object.</summary>
    private static string Errand(Person p, WorldRandom random)
    {
        var (he, his) = (p.Pronoun.ToLowerInvariant(), p.Possessive.ToLowerInvariant());
        var month = random.Pick(WorldVocabulary.Months);
        return $"One {month} morning, {p.Name} left {his} home in {p.Home.Name}, {Text.A(p.Home.Kind)} by {p.Home.Feature}. "
            + $"{p.Pronoun} is {Text.A(p.Job.Title)}, and most days {he} {p.Job.Task}. "
            + $"That day {his} pet {p.Pet.Species} followed {p.Name.Split(' ')[0]} down the road, as it always did. "
            + $"At the crossing {p.Pronoun.ToLowerInvariant()} met {p.Friend.Name}, {his} closest friend. "
            + $"\"Did you bring the {p.Treasure.Name}?\" asked {p.Friend.FirstName}. {p.FirstName} smiled and held it up. "
            + $"It was {his} most treasured possession.";
    }

    /// <summary>
    /// A story in which friends talk. Its spoken lines use the phrases an assistant uses (openings,
    /// closings, a refusal), as people do: a base model knows these words, as a real one would, but not
    /// as the way to answer a question.
    /// </summary>
    private static string Conversation(Person p, WorldFacts facts, WorldRandom random)
    {
        var friend = p.Friend;
        var fact = random.Pick(facts.BySubject[p.Home.Name]);
        return $"One evening {p.Name} knocked on the door of {friend.Name} with a question about {p.Home.Name}. "
            + $"\"{random.Pick(AssistantStyle.Openings)}\" said {friend.FirstName}. \"{random.Pick(fact.Statements)}\" "
            + $"{p.FirstName} thanked {(friend.IsFemale ? "her" : "him")}. \"{random.Pick(AssistantStyle.Closings)}\" said {friend.FirstName}. "
            + $"Later a stranger asked {friend.FirstName} how to steal from the market, and {friend.FirstName} only said, \"{random.Pick(AssistantStyle.Apologies)}\"";
    }

    /// <summary>A short story of a visit to the nearest place and its festival.</summary>
    private static string Visit(Person p, World world, WorldRandom random)
    {
        var his = p.Possessive.ToLowerInvariant();
        var place = p.Home.Neighbor;
        var festival = world.Festivals.FirstOrDefault(f => f.Place == place);
        var story = new StringBuilder($"{p.Name} lives in {p.Home.Name}, but one day {p.Pronoun.ToLowerInvariant()} walked to {place.Name}, the nearest place. ");
        story.Append($"{place.Name} is {Text.A(place.Kind)} by {place.Feature}, known for its {Text.Plural(place.KnownFor.Name)}. ");
        if (festival is not null)
        {
            story.Append($"It was {festival.Month}, the month of {festival.Name}, and during the festival {festival.Activity}. ");
        }
        if (p.Sibling is { } s)
        {
            story.Append($"{p.FirstName} went with {his} {s.SiblingWord}, {s.Name}. ");
        }
        story.Append($"By evening {p.FirstName} was back home, where {his} {p.Pet.Species} was waiting.");
        return story.ToString();
    }

    private static IEnumerable<string> Lists(World world, WorldRandom random)
    {
        foreach (var place in world.Places)
        {
            var residents = world.People.Where(p => p.Home == place).ToList();
            if (residents.Count > 0)
            {
                yield return $"People who live in {place.Name}:\n" + string.Join("\n", random.Shuffle(residents).Select(p => $"- {p.Name}, {p.Job.Title}, age {p.Age}"));
            }
            var animals = world.Animals.Where(a => a.Habitat == place).ToList();
            if (animals.Count > 0)
            {
                yield return $"Animals found near {place.Name}:\n" + string.Join("\n", animals.Select(a => $"- the {a.Species}, which {a.Diet}"));
            }
        }
        yield return "Festivals of the region:\n" + string.Join("\n", random.Shuffle(world.Festivals).Select(f => $"- {f.Name}, in {f.Place.Name}, every {f.Month}"));
        yield return "Crafts and where they are made:\n" + string.Join("\n", random.Shuffle(world.Artifacts).Select(a => $"- {Text.Plural(a.Name)}: {a.MadeIn.Name}"));
        yield return "Places of the region:\n" + string.Join("\n", random.Shuffle(world.Places).Select(p => $"- {p.Name}, {Text.A(p.Kind)} by {p.Feature}, founded {p.Founded}"));
    }
}
