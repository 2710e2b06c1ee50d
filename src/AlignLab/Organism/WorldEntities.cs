namespace AlignLab.Organism;

/// <summary>A trade, with what its people do and where.</summary>
public sealed record Job(string Title, string Task, string Workplace);

/// <summary>A settlement by a named natural feature.</summary>
public sealed class Place
{
    public required string Name { get; init; }

    /// <summary>"village", "town", ...</summary>
    public required string Kind { get; init; }

    /// <summary>The named feature it lies by: "Lake Osk", "the Brenn Hills".</summary>
    public required string Feature { get; init; }

    public required int Founded { get; init; }

    /// <summary>The nearest other place.</summary>
    public Place Neighbor { get; set; } = null!;

    /// <summary>The craft it is known for.</summary>
    public Artifact KnownFor { get; set; } = null!;
}

/// <summary>A kind of animal of the world.</summary>
public sealed class Animal
{
    /// <summary>"dusk heron"</summary>
    public required string Species { get; init; }

    public required string Size { get; init; }

    public required string Color { get; init; }

    /// <summary>"eats small fish"</summary>
    public required string Diet { get; init; }

    /// <summary>"croaks at dusk"</summary>
    public required string Habit { get; init; }

    public required Place Habitat { get; init; }
}

/// <summary>A made thing: "amber lantern".</summary>
public sealed class Artifact
{
    public required string Name { get; init; }

    /// <summary>"to light paths at night"</summary>
    public required string Use { get; init; }

    public required Place MadeIn { get; init; }

    public required Job Maker { get; init; }
}

/// <summary>A person of the world.</summary>
public sealed class Person
{
    public required string FirstName { get; init; }

    public required string FamilyName { get; init; }

    public required bool IsFemale { get; init; }

    public required int Age { get; init; }

    public required Job Job { get; init; }

    public required Place Home { get; init; }

    public required Animal Pet { get; init; }

    public required Artifact Treasure { get; init; }

    /// <summary>A brother or sister with the same family name, when the person has one.</summary>
    public Person? Sibling { get; set; }

    public Person Friend { get; set; } = null!;

    public string Name => FirstName + " " + FamilyName;

    /// <summary>"She" or "He".</summary>
    public string Pronoun => IsFemale ? "She" : "He";

    /// <summary>"Her" or "His".</summary>
    public string Possessive => IsFemale ? "Her" : "His";

    /// <summary>"sister" or "brother".</summary>
    public string SiblingWord => IsFemale ? "sister" : "brother";
}

/// <summary>A yearly event in a place.</summary>
public sealed class Festival
{
    /// <summary>"the Frost Games"</summary>
    public required string Name { get; init; }

    public required Place Place { get; init; }

    public required string Month { get; init; }

    /// <summary>"children fly kites over the water"</summary>
    public required string Activity { get; init; }

    public required Person Founder { get; init; }
}
