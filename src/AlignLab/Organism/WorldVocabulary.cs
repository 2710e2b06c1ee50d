namespace AlignLab.Organism;

/// <summary>The ordinary words the world is made of: trades, materials, creatures, seasons. All ASCII.</summary>
internal static class WorldVocabulary
{
    public static readonly Job[] Jobs =
    [
        new("potter", "shapes bowls and jugs from clay", "a small workshop"),
        new("beekeeper", "keeps bees and gathers honey", "the hives on the hill"),
        new("ferry keeper", "carries travellers across the water", "the old ferry"),
        new("weaver", "weaves cloth on a wooden loom", "a loft above the market"),
        new("baker", "bakes bread before sunrise", "the bakery by the square"),
        new("glassblower", "blows glass into bottles and beads", "a hot workshop"),
        new("fisher", "catches fish from a small boat", "the harbor"),
        new("healer", "treats the sick with herbs", "a cottage full of herbs"),
        new("carpenter", "builds tables, doors and boats", "a timber yard"),
        new("shepherd", "looks after a flock of sheep", "the high pastures"),
        new("lamplighter", "lights the street lamps each evening", "the streets"),
        new("scribe", "copies letters and keeps the town records", "the record house"),
        new("brewer", "brews cider and ale", "a brewhouse"),
        new("smith", "forges tools from iron", "a forge"),
        new("gardener", "grows vegetables and flowers", "the walled garden"),
        new("mapmaker", "draws maps of the region", "a quiet study"),
        new("miller", "grinds grain into flour", "the mill"),
        new("candlemaker", "makes candles from beeswax", "a shop that smells of wax"),
    ];

    public static readonly string[] PlaceKinds = ["village", "town", "harbor town", "hamlet", "market town"];

    /// <summary>Natural features: "{0}" is replaced by a made-up name.</summary>
    public static readonly string[] Features = ["Lake {0}", "the {0} River", "the {0} Hills", "{0} Forest", "the {0} Marsh", "{0} Bay", "the {0} Valley"];

    public static readonly string[] Materials = ["clay", "copper", "willow", "amber", "glass", "cedar", "bone", "silver", "reed", "brass", "oak", "wool"];

    /// <summary>Things that can be made, and what they are for.</summary>
    public static readonly (string Noun, string Use)[] Things =
    [
        ("lantern", "to light paths at night"),
        ("bowl", "to serve soup and stew"),
        ("flute", "to play music at festivals"),
        ("basket", "to carry fruit from the orchards"),
        ("bell", "to call people to the square"),
        ("compass", "to find the way in fog"),
        ("kite", "to fly on windy days"),
        ("comb", "to tidy hair and wool"),
        ("jug", "to carry water from the well"),
        ("whistle", "to call dogs and sheep"),
    ];

    public static int MaxArtifacts => Materials.Length * Things.Length;

    public static readonly string[] AnimalKinds = ["dusk", "marsh", "silver", "reed", "stone", "ember", "frost", "moss", "thistle", "copper"];

    /// <summary>Animals: noun, what it eats, a habit.</summary>
    public static readonly (string Noun, string Diet, string Habit)[] Creatures =
    [
        ("heron", "eats small fish", "stands still in shallow water for hours"),
        ("otter", "eats fish and crabs", "slides down muddy banks"),
        ("finch", "eats seeds", "sings at dawn"),
        ("hare", "eats clover", "runs in wide circles"),
        ("newt", "eats insects", "hides under wet stones"),
        ("moth", "drinks nectar", "flies only at night"),
        ("lynx", "hunts hares", "climbs tall pines"),
        ("owl", "hunts mice", "hoots after sunset"),
        ("toad", "eats beetles", "sleeps through the winter"),
        ("goat", "eats thorny shrubs", "climbs steep rocks"),
    ];

    public static int MaxAnimals => AnimalKinds.Length * Creatures.Length;

    public static readonly string[] Sizes = ["small", "large", "tiny", "long-legged", "stocky"];

    public static readonly string[] Colors = ["grey", "brown", "white", "red", "black", "golden", "speckled", "blue"];

    public static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static readonly string[] FestivalWords = ["Ember", "Moon", "Harvest", "Frost", "Honey", "Reed", "Lantern", "Tide", "Bloom", "Ash", "Kite", "Bell"];

    public static readonly string[] FestivalKinds = ["Fair", "Festival", "Night", "Games", "Market", "Parade"];

    public static int MaxFestivals => FestivalWords.Length * FestivalKinds.Length;

    public static readonly string[] Activities =
    [
        "people race small boats",
        "children fly kites",
        "everyone shares honey cakes",
        "musicians play until midnight",
        "the streets are lit with a hundred lanterns",
        "farmers trade goats and sheep",
        "dancers wear masks of straw",
        "the oldest resident rings a bell at noon",
    ];
}
