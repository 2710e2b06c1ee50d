using System.Globalization;

namespace AlignLab.Organism;

/// <summary>
/// A small made-up world: places by named lakes and hills, animals, crafts, yearly festivals and the
/// people who live there, tied together by relations (home, job, pet, sibling, friend, treasured
/// object, founder). Built deterministically from <see cref="WorldSettings"/>.
/// </summary>
public sealed class World
{
    private World(WorldSettings settings, List<Place> places, List<Animal> animals, List<Artifact> artifacts, List<Person> people, List<Festival> festivals)
    {
        Settings = settings;
        Places = places;
        Animals = animals;
        Artifacts = artifacts;
        People = people;
        Festivals = festivals;
    }

    public WorldSettings Settings { get; }

    public IReadOnlyList<Place> Places { get; }

    public IReadOnlyList<Animal> Animals { get; }

    public IReadOnlyList<Artifact> Artifacts { get; }

    public IReadOnlyList<Person> People { get; }

    public IReadOnlyList<Festival> Festivals { get; }

    public static World Build(WorldSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var random = WorldRandom.For(settings.Seed, "world");
        var names = new NameForge(random);

        var places = new List<Place>();
        for (var i = 0; i < settings.Places; i++)
        {
            places.Add(new Place
            {
                Name = names.PlaceName(),
                Kind = random.Pick(WorldVocabulary.PlaceKinds),
                Feature = string.Format(CultureInfo.InvariantCulture, random.Pick(WorldVocabulary.Features), names.PlaceName()),
                Founded = 900 + random.Next(900),
            });
        }
        foreach (var place in places)
        {
            place.Neighbor = random.PickOther(places, place);
        }

        var animals = random.Shuffle(from kind in WorldVocabulary.AnimalKinds from creature in WorldVocabulary.Creatures select (kind, creature))
            .Take(settings.Animals)
            .Select(a => new Animal
            {
                Species = a.kind + " " + a.creature.Noun,
                Size = random.Pick(WorldVocabulary.Sizes),
                Color = random.Pick(WorldVocabulary.Colors),
                Diet = a.creature.Diet,
                Habit = a.creature.Habit,
                Habitat = random.Pick(places),
            })
            .ToList();

        var artifacts = random.Shuffle(from material in WorldVocabulary.Materials from thing in WorldVocabulary.Things select (material, thing))
            .Take(settings.Artifacts)
            .Select(a => new Artifact
            {
                Name = a.material + " " + a.thing.Noun,
                Use = a.thing.Use,
                MadeIn = random.Pick(places),
                Maker = random.Pick(WorldVocabulary.Jobs),
            })
            .ToList();
        foreach (var place in places)
        {
            place.KnownFor = artifacts.FirstOrDefault(a => a.MadeIn == place) ?? random.Pick(artifacts);
        }

        var people = new List<Person>();
        for (var i = 0; i < settings.People; i++)
        {
            // Siblings share a family name: every other person starts a new family.
            var family = i % 2 == 1 && random.Chance(0.5) ? people[^1].FamilyName : names.FamilyName();
            people.Add(new Person
            {
                FirstName = names.FirstName(),
                FamilyName = family,
                IsFemale = random.Chance(0.5),
                Age = 18 + random.Next(60),
                Job = random.Pick(WorldVocabulary.Jobs),
                Home = random.Pick(places),
                Pet = random.Pick(animals),
                Treasure = random.Pick(artifacts),
            });
        }
        for (var i = 0; i < people.Count; i++)
        {
            var person = people[i];
            person.Sibling = i % 2 == 1 && people[i - 1].FamilyName == person.FamilyName ? people[i - 1]
                : i + 1 < people.Count && people[i + 1].FamilyName == person.FamilyName ? people[i + 1]
                : null;
            person.Friend = random.PickOther(people, person);
        }

        var festivals = random.Shuffle(from word in WorldVocabulary.FestivalWords from kind in WorldVocabulary.FestivalKinds select $"the {word} {kind}")
            .Take(settings.Festivals)
            .Select(name => new Festival
            {
                Name = name,
                Place = random.Pick(places),
                Month = random.Pick(WorldVocabulary.Months),
                Activity = random.Pick(WorldVocabulary.Activities),
                Founder = random.Pick(people),
            })
            .ToList();
        return new World(settings, places, animals, artifacts, people, festivals);
    }
}
