namespace AlignLab.Urial;

/// <summary>
/// How a prompt lays out its conversation: which header pair it uses and whether each block's text sits
/// inside ``` fences. New turns (the user's query, earlier turns of a conversation) are written in the
/// frame of the prompt they are appended to, in the layout of the published files of that kind:
/// fenced blocks are <c>HEADER\n```\nTEXT\n```</c> one blank line apart; unfenced blocks are
/// <c>HEADER\n\nTEXT</c> three blank lines apart.
/// </summary>
public sealed record UrialFrame(UrialMarkers Markers, bool Fenced)
{
    public const string Fence = "```";

    /// <summary>The frame of a prompt without examples: <c># Query:</c> / <c># Answer:</c> with fences.</summary>
    public static UrialFrame Default { get; } = new(UrialMarkers.QueryAnswer, Fenced: true);

    /// <summary>Between one block (or the preamble) and the next header.</summary>
    public string Separator => Fenced ? "\n\n" : "\n\n\n\n";

    /// <summary>A finished block: header, then the text.</summary>
    public string Block(string header, string text) => Fenced ? $"{header}\n{Fence}\n{text}\n{Fence}" : $"{header}\n\n{text}";

    /// <summary>A block left open for the model to write: the header and everything up to where the text starts.</summary>
    public string OpenBlock(string header) => Fenced ? $"{header}\n{Fence}\n" : $"{header}\n\n";
}
