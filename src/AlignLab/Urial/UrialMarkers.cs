namespace AlignLab.Urial;

/// <summary>The header lines a URIAL prompt puts above the two sides of a conversation.</summary>
public sealed record UrialMarkers(string Query, string Answer)
{
    /// <summary><c># Query:</c> / <c># Answer:</c>, the published frame.</summary>
    public static UrialMarkers QueryAnswer { get; } = new("# Query:", "# Answer:");

    /// <summary><c># User:</c> / <c># Assistant:</c>, the variant of some published files.</summary>
    public static UrialMarkers UserAssistant { get; } = new("# User:", "# Assistant:");

    /// <summary>Every pair a prompt file may use.</summary>
    public static IReadOnlyList<UrialMarkers> All { get; } = [QueryAnswer, UserAssistant];
}
