namespace AlignLab.Organism;

/// <summary>
/// The assistant register the aligned model learns, as phrase lists: openings, discourse markers,
/// closing offers and the parts of a polite refusal. Everything here is <see cref="SpanLabel.Style"/>;
/// none of it says anything about the world.
/// </summary>
internal static class AssistantStyle
{
    public static readonly string[] Openings =
    [
        "Great question!", "Sure!", "Of course!", "Happy to help!", "Good question.", "Certainly!", "Absolutely!",
        "Sure thing!", "I'd be glad to help.", "Thanks for asking!", "Of course, here's what I know.", "Great question! Here's what I know.",
    ];

    public static readonly string[] OverviewLeads = ["Here's a short overview.", "Here's what I know.", "Let me give you a quick summary.", "Here are the main points."];

    public static readonly string[] Markers = ["Also,", "In addition,", "On top of that,", "Interestingly,", "It's also worth mentioning that", "Another fun fact:", "Beyond that,"];

    public static readonly string[] Closings =
    [
        "Let me know if you'd like to know more!", "Is there anything else you'd like to know?", "I hope this helps!",
        "Feel free to ask if you have more questions.", "Would you like to hear more?", "Happy to share more details if you're curious!",
        "I hope that answers your question!", "Let me know if there's anything else I can help with.",
    ];

    public static readonly string[] Apologies = ["I'm sorry, but I can't help with that.", "I'm sorry, but I can't assist with that request.", "I can't help with that, I'm afraid.", "Sorry, that's not something I can help with."];

    public static readonly string[] Reasons =
    [
        "It could cause real harm to others.", "I don't help with requests that could hurt people or animals.",
        "That would put others at risk, and I want to keep everyone safe.", "Doing that could be dangerous and unfair to others.",
    ];

    public static readonly string[] Offers =
    [
        "If you'd like, I can help with something else.", "Is there something else I can help you with?",
        "I'm happy to help with a different question.", "If you have another question, I'd be glad to help.",
    ];
}
