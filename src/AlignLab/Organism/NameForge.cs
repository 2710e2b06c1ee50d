namespace AlignLab.Organism;

/// <summary>
/// Made-up names from syllables, so nothing about the world can be known except from its own texts.
/// Every name handed out is distinct from every other (and from the world's ordinary words).
/// </summary>
internal sealed class NameForge(WorldRandom random)
{
    private static readonly string[] Onsets = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "th", "sh"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ee"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "l", "s", "m", "ck", "nd"];
    private static readonly string[] PlaceEndings = ["", "ford", "wick", "holm", "dale", "mere", "by", "ton"];

    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public string FirstName() => Unique(() => Capitalize(Syllable() + Syllable()));

    public string FamilyName() => Unique(() => Capitalize(Syllable() + Syllable()));

    public string PlaceName() => Unique(() => Capitalize(Syllable() + random.Pick(PlaceEndings)));

    /// <summary>A name for a thing in the world (a festival's own word), lower case.</summary>
    public string Word() => Unique(() => Syllable() + Syllable());

    private string Syllable() => random.Pick(Onsets) + random.Pick(Vowels) + random.Pick(Codas);

    private string Unique(Func<string> make)
    {
        while (true)
        {
            var name = make();
            if (name.Length >= 3 && name.Length <= 9 && _used.Add(name))
            {
                return name;
            }
        }
    }

    private static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
