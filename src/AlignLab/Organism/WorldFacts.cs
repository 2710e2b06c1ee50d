namespace AlignLab.Organism;

/// <summary>Every fact of a <see cref="World"/>, grouped by the entity it is about, in a fixed order.</summary>
public sealed class WorldFacts
{
    private WorldFacts(List<WorldFact> all)
    {
        All = all;
        BySubject = all.GroupBy(f => f.Subject).ToDictionary(g => g.Key, g => (IReadOnlyList<WorldFact>)[.. g], StringComparer.Ordinal);
        Subjects = [.. all.Select(f => f.Subject).Distinct()];
    }

    public IReadOnlyList<WorldFact> All { get; }

    /// <summary>Entity names in the order their facts appear.</summary>
    public IReadOnlyList<string> Subjects { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<WorldFact>> BySubject { get; }

    public static WorldFacts Of(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var facts = new List<WorldFact>();
        foreach (var p in world.People)
        {
            AddPerson(facts, p);
        }
        foreach (var place in world.Places)
        {
            AddPlace(facts, place);
        }
        foreach (var animal in world.Animals)
        {
            AddAnimal(facts, animal);
        }
        foreach (var artifact in world.Artifacts)
        {
            AddArtifact(facts, artifact);
        }
        foreach (var festival in world.Festivals)
        {
            AddFestival(facts, festival);
        }
        return new WorldFacts(facts);
    }

    private static void AddPerson(List<WorldFact> facts, Person p)
    {
        var (n, he, his) = (p.Name, p.Pronoun.ToLowerInvariant(), p.Possessive.ToLowerInvariant());
        void Add(string kind, string[] statements, string continuation, string[] questions)
            => facts.Add(new WorldFact($"person/{n}/{kind}", n, statements, continuation, questions));

        var job = Text.A(p.Job.Title);
        Add("job", [$"{n} is {job}.", $"{n} works as {job}.", $"By trade, {n} is {job}."],
            $"{he} works as {job}.",
            [$"What does {n} do for a living?", $"What is {n}'s job?", $"What kind of work does {n} do?"]);
        Add("work", [$"As {job}, {n} {p.Job.Task}.", $"{n} {p.Job.Task}; {he} works at {p.Job.Workplace}."],
            $"as {job}, {he} {p.Job.Task}.",
            [$"What does {n} do at work?", $"Describe {n}'s daily work."]);
        Add("home", [$"{n} lives in {p.Home.Name}.", $"{n}'s home is in {p.Home.Name}, {Text.A(p.Home.Kind)} by {p.Home.Feature}.", $"{n} makes {his} home in {p.Home.Name}."],
            $"{he} lives in {p.Home.Name}.",
            [$"Where does {n} live?", $"Where is {n}'s home?", $"In which place does {n} live?"]);
        Add("age", [$"{n} is {p.Age} years old.", $"{n} is {p.Age}."],
            $"{he} is {p.Age} years old.",
            [$"How old is {n}?", $"What is {n}'s age?"]);
        Add("pet", [$"{n} keeps {Text.A(p.Pet.Species)} as a pet.", $"{n} has a pet {p.Pet.Species}."],
            $"{he} keeps {Text.A(p.Pet.Species)} as a pet.",
            [$"What pet does {n} have?", $"Does {n} keep any animals?", $"What animal lives with {n}?"]);
        Add("treasure", [$"{n}'s most treasured possession is {Text.A(p.Treasure.Name)}.", $"{n} treasures {Text.A(p.Treasure.Name)} above everything else."],
            $"{his} most treasured possession is {Text.A(p.Treasure.Name)}.",
            [$"What does {n} treasure most?", $"What is {n}'s most prized possession?"]);
        if (p.Sibling is { } s)
        {
            Add("sibling", [$"{n}'s {s.SiblingWord} is {s.Name}.", $"{s.Name} is {n}'s {s.SiblingWord}."],
                $"{his} {s.SiblingWord} is {s.Name}.",
                [$"Who is {n}'s sibling?", $"Does {n} have a brother or a sister?"]);
        }
        Add("friend", [$"{n}'s closest friend is {p.Friend.Name}.", $"{n} is good friends with {p.Friend.Name}."],
            $"{his} closest friend is {p.Friend.Name}.",
            [$"Who is {n}'s best friend?", $"Who is {n} friends with?"]);
    }

    private static void AddPlace(List<WorldFact> facts, Place place)
    {
        var n = place.Name;
        void Add(string kind, string[] statements, string continuation, string[] questions)
            => facts.Add(new WorldFact($"place/{n}/{kind}", n, statements, continuation, questions));

        Add("location", [$"{n} is {Text.A(place.Kind)} by {place.Feature}.", $"{n} is {Text.A(place.Kind)} that lies beside {place.Feature}."],
            $"it is {Text.A(place.Kind)} by {place.Feature}.",
            [$"Where is {n}?", $"What kind of place is {n}?"]);
        Add("founded", [$"{n} was founded in the year {place.Founded}.", $"{n} dates from the year {place.Founded}."],
            $"it was founded in the year {place.Founded}.",
            [$"When was {n} founded?", $"How old is {n}?"]);
        var craft = Text.Plural(place.KnownFor.Name);
        Add("craft", [$"{n} is known for its {craft}.", $"{n} is famous for {craft}."],
            $"it is known for its {craft}.",
            [$"What is {n} known for?", $"What is {n} famous for?"]);
        Add("neighbor", [$"The nearest place to {n} is {place.Neighbor.Name}.", $"{place.Neighbor.Name} lies closest to {n}."],
            $"its nearest neighbor is {place.Neighbor.Name}.",
            [$"What is the nearest place to {n}?", $"Which place lies closest to {n}?"]);
    }

    private static void AddAnimal(List<WorldFact> facts, Animal a)
    {
        var n = "the " + a.Species;
        var subject = Text.Capitalize(n);
        void Add(string kind, string[] statements, string continuation, string[] questions)
            => facts.Add(new WorldFact($"animal/{a.Species}/{kind}", n, statements, continuation, questions));

        Add("habitat", [$"{subject} lives around {a.Habitat.Feature}, near {a.Habitat.Name}.", $"{subject} is found near {a.Habitat.Name}, by {a.Habitat.Feature}."],
            $"it lives around {a.Habitat.Feature}, near {a.Habitat.Name}.",
            [$"Where does {n} live?", $"Where can you find {n}?"]);
        Add("looks", [$"{subject} is a {a.Size}, {a.Color} animal.", $"{subject} is {a.Size} and {a.Color}."],
            $"it is a {a.Size}, {a.Color} animal.",
            [$"What does {n} look like?", $"Describe the appearance of {n}."]);
        Add("diet", [$"{subject} {a.Diet}.", $"In the wild, {n} {a.Diet}."],
            $"it {a.Diet}.",
            [$"What does {n} eat?", $"What is the diet of {n}?"]);
        Add("habit", [$"{subject} {a.Habit}.", $"{subject} is known to {Text.BaseForm(a.Habit)}."],
            $"it {a.Habit}.",
            [$"What is {n} known to do?", $"What habits does {n} have?"]);
    }

    private static void AddArtifact(List<WorldFact> facts, Artifact a)
    {
        var plural = Text.Plural(a.Name);
        void Add(string kind, string[] statements, string continuation, string[] questions)
            => facts.Add(new WorldFact($"artifact/{a.Name}/{kind}", plural, statements, continuation, questions));

        var makers = Text.Plural(a.Maker.Title);
        Add("origin", [$"{Text.Capitalize(plural)} are made in {a.MadeIn.Name} by its {makers}.", $"The {makers} of {a.MadeIn.Name} make {plural}."],
            $"they are made in {a.MadeIn.Name} by its {makers}.",
            [$"Where are {plural} made?", $"Who makes {plural}?"]);
        Add("use", [$"People use {Text.A(a.Name)} {a.Use}.", $"{Text.Capitalize(Text.A(a.Name))} is used {a.Use}."],
            $"people use them {a.Use}.",
            [$"What is {Text.A(a.Name)} used for?", $"Why would someone use {Text.A(a.Name)}?"]);
    }

    private static void AddFestival(List<WorldFact> facts, Festival f)
    {
        var n = f.Name;
        var subject = Text.Capitalize(n);
        var plural = n.EndsWith("Games", StringComparison.Ordinal);
        var (takes, was, be) = plural ? ("take", "were", "are") : ("takes", "was", "is");
        var it = plural ? "they" : "it";
        void Add(string kind, string[] statements, string continuation, string[] questions)
            => facts.Add(new WorldFact($"festival/{n}/{kind}", n, statements, continuation, questions));

        Add("when", [$"{subject} {takes} place in {f.Place.Name} every {f.Month}.", $"Every {f.Month}, {f.Place.Name} holds {n}."],
            $"{it} {takes} place in {f.Place.Name} every {f.Month}.",
            [$"When {be} {n}?", $"Where {be} {n} held?"]);
        Add("activity", [$"During {n}, {f.Activity}.", $"At {n}, {f.Activity}."],
            $"during {n}, {f.Activity}.",
            [$"What happens during {n}?", $"What do people do at {n}?"]);
        Add("founder", [$"{subject} {was} started by {f.Founder.Name}.", $"{f.Founder.Name} founded {n}."],
            $"{it} {was} started by {f.Founder.Name}.",
            [$"Who started {n}?", $"Who founded {n}?"]);
    }
}
