namespace AlignLab.Organism;

/// <summary>The little grammar the world's sentences need: articles, plurals, capitals.</summary>
internal static class Text
{
    /// <summary>"a potter", "an amber lantern".</summary>
    public static string A(string noun) => ("aeiou".Contains(char.ToLowerInvariant(noun[0]), StringComparison.Ordinal) ? "an " : "a ") + noun;

    /// <summary>The plural of the last word: "amber lanterns", "ferry keepers", "copper compasses".</summary>
    public static string Plural(string noun)
        => noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal)
            ? noun + "es"
            : noun + "s";

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>The verb phrase in the base form: "climbs tall pines" → "climb tall pines", "flies" → "fly".</summary>
    public static string BaseForm(string phrase)
    {
        var space = phrase.IndexOf(' ', StringComparison.Ordinal);
        var (verb, rest) = space < 0 ? (phrase, "") : (phrase[..space], phrase[space..]);
        verb = verb.EndsWith("ies", StringComparison.Ordinal) ? verb[..^3] + "y"
            : verb.EndsWith("es", StringComparison.Ordinal) && (verb.EndsWith("shes", StringComparison.Ordinal) || verb.EndsWith("ches", StringComparison.Ordinal)) ? verb[..^2]
            : verb.EndsWith('s') ? verb[..^1]
            : verb;
        return verb + rest;
    }
}
